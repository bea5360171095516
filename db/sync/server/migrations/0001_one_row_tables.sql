-- The server's identity is made once, here, with the database; the counter starts at 0.
INSERT INTO "server_identity" ("singleton") VALUES (1);
--> statement-breakpoint
INSERT INTO "server_counter" ("singleton", "last_seq") VALUES (1, 0);
