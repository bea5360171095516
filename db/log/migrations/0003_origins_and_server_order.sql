CREATE TABLE `event_origins` (
	`position` integer PRIMARY KEY NOT NULL,
	`device_id` text NOT NULL,
	`device_seq` integer NOT NULL,
	`device_hash` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `event_origins_device_seq` ON `event_origins` (`device_id`,`device_seq`);--> statement-breakpoint
CREATE TABLE `reorders` (
	`position` integer PRIMARY KEY NOT NULL,
	`server_seq` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `server_order` (
	`server_seq` integer PRIMARY KEY NOT NULL,
	`position` integer NOT NULL,
	`received_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `server_order_position` ON `server_order` (`position`);--> statement-breakpoint
-- Append-only like the rest of the log (see 0001): an origin, or a place in the server's order, never changes.
CREATE TRIGGER `event_origins_no_update` BEFORE UPDATE ON `event_origins`
BEGIN SELECT RAISE(ABORT, 'waybill: event origins are append-only (UPDATE refused)'); END;
--> statement-breakpoint
CREATE TRIGGER `event_origins_no_delete` BEFORE DELETE ON `event_origins`
BEGIN SELECT RAISE(ABORT, 'waybill: event origins are append-only (DELETE refused)'); END;
--> statement-breakpoint
CREATE TRIGGER `event_origins_no_replace` BEFORE INSERT ON `event_origins`
WHEN EXISTS (SELECT 1 FROM `event_origins` WHERE `position` = NEW.`position`)
  OR EXISTS (SELECT 1 FROM `event_origins` WHERE `device_id` = NEW.`device_id` AND `device_seq` = NEW.`device_seq`)
BEGIN SELECT RAISE(ABORT, 'waybill: event origins are append-only (an existing origin cannot be replaced)'); END;
--> statement-breakpoint
CREATE TRIGGER `server_order_no_update` BEFORE UPDATE ON `server_order`
BEGIN SELECT RAISE(ABORT, 'waybill: the server order is append-only (UPDATE refused)'); END;
--> statement-breakpoint
CREATE TRIGGER `server_order_no_delete` BEFORE DELETE ON `server_order`
BEGIN SELECT RAISE(ABORT, 'waybill: the server order is append-only (DELETE refused)'); END;
--> statement-breakpoint
CREATE TRIGGER `server_order_no_replace` BEFORE INSERT ON `server_order`
WHEN EXISTS (SELECT 1 FROM `server_order` WHERE `server_seq` = NEW.`server_seq`)
  OR EXISTS (SELECT 1 FROM `server_order` WHERE `position` = NEW.`position`)
BEGIN SELECT RAISE(ABORT, 'waybill: the server order is append-only (an existing place cannot be replaced)'); END;
--> statement-breakpoint
CREATE TRIGGER `reorders_no_update` BEFORE UPDATE ON `reorders`
BEGIN SELECT RAISE(ABORT, 'waybill: reorders are append-only (UPDATE refused)'); END;
--> statement-breakpoint
CREATE TRIGGER `reorders_no_delete` BEFORE DELETE ON `reorders`
BEGIN SELECT RAISE(ABORT, 'waybill: reorders are append-only (DELETE refused)'); END;
--> statement-breakpoint
CREATE TRIGGER `reorders_no_replace` BEFORE INSERT ON `reorders`
WHEN EXISTS (SELECT 1 FROM `reorders` WHERE `position` = NEW.`position`)
BEGIN SELECT RAISE(ABORT, 'waybill: reorders are append-only (an existing one cannot be replaced)'); END;
