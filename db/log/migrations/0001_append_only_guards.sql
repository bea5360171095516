-- The log is append-only for every connection, including an outside sqlite3 shell with
-- default pragmas. BEFORE INSERT guards stop INSERT OR REPLACE, REPLACE and upserts,
-- which would otherwise delete the old row without firing delete triggers.
CREATE TRIGGER `events_no_update` BEFORE UPDATE ON `events`
BEGIN SELECT RAISE(ABORT, 'waybill: events are append-only (UPDATE refused)'); END;
--> statement-breakpoint
CREATE TRIGGER `events_no_delete` BEFORE DELETE ON `events`
BEGIN SELECT RAISE(ABORT, 'waybill: events are append-only (DELETE refused)'); END;
--> statement-breakpoint
CREATE TRIGGER `events_no_replace` BEFORE INSERT ON `events`
WHEN EXISTS (SELECT 1 FROM `events` WHERE `position` = NEW.`position`)
  OR EXISTS (SELECT 1 FROM `events` WHERE `event_id` = NEW.`event_id`)
  OR EXISTS (SELECT 1 FROM `events` WHERE `stream_id` = NEW.`stream_id` AND `version` = NEW.`version`)
BEGIN SELECT RAISE(ABORT, 'waybill: events are append-only (an existing event cannot be replaced)'); END;
--> statement-breakpoint
CREATE TRIGGER `commands_no_update` BEFORE UPDATE ON `commands`
BEGIN SELECT RAISE(ABORT, 'waybill: commands are append-only (UPDATE refused)'); END;
--> statement-breakpoint
CREATE TRIGGER `commands_no_delete` BEFORE DELETE ON `commands`
BEGIN SELECT RAISE(ABORT, 'waybill: commands are append-only (DELETE refused)'); END;
--> statement-breakpoint
CREATE TRIGGER `commands_no_replace` BEFORE INSERT ON `commands`
WHEN EXISTS (SELECT 1 FROM `commands` WHERE `command_id` = NEW.`command_id`)
BEGIN SELECT RAISE(ABORT, 'waybill: commands are append-only (an existing command cannot be replaced)'); END;
--> statement-breakpoint
CREATE TRIGGER `tracking_codes_no_update` BEFORE UPDATE ON `tracking_codes`
BEGIN SELECT RAISE(ABORT, 'waybill: tracking codes are append-only (UPDATE refused)'); END;
--> statement-breakpoint
CREATE TRIGGER `tracking_codes_no_delete` BEFORE DELETE ON `tracking_codes`
BEGIN SELECT RAISE(ABORT, 'waybill: tracking codes are append-only (DELETE refused)'); END;
--> statement-breakpoint
CREATE TRIGGER `tracking_codes_no_replace` BEFORE INSERT ON `tracking_codes`
WHEN EXISTS (SELECT 1 FROM `tracking_codes` WHERE `tracking_code` = NEW.`tracking_code`)
BEGIN SELECT RAISE(ABORT, 'waybill: tracking codes are append-only (an existing code cannot be replaced)'); END;
