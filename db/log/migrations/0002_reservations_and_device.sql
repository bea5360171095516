CREATE TABLE `device` (
	`device_id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `reservations` (
	`kind` text NOT NULL,
	`key` text NOT NULL,
	`owner` text NOT NULL,
	`position` integer NOT NULL,
	PRIMARY KEY(`kind`, `key`)
);
--> statement-breakpoint
-- Tracking codes were the only reservations the log kept (by their own table): they move over unchanged.
INSERT INTO `reservations` (`kind`, `key`, `owner`, `position`) SELECT 'tracking_code', `tracking_code`, `parcel_id`, `position` FROM `tracking_codes`;
--> statement-breakpoint
DROP TABLE `tracking_codes`;
--> statement-breakpoint
-- Append-only like the rest of the log (see 0001): reservations are never released or handed over.
CREATE TRIGGER `reservations_no_update` BEFORE UPDATE ON `reservations`
BEGIN SELECT RAISE(ABORT, 'waybill: reservations are append-only (UPDATE refused)'); END;
--> statement-breakpoint
CREATE TRIGGER `reservations_no_delete` BEFORE DELETE ON `reservations`
BEGIN SELECT RAISE(ABORT, 'waybill: reservations are append-only (DELETE refused)'); END;
--> statement-breakpoint
CREATE TRIGGER `reservations_no_replace` BEFORE INSERT ON `reservations`
WHEN EXISTS (SELECT 1 FROM `reservations` WHERE `kind` = NEW.`kind` AND `key` = NEW.`key`)
BEGIN SELECT RAISE(ABORT, 'waybill: reservations are append-only (an existing reservation cannot be replaced)'); END;
--> statement-breakpoint
-- A data folder's device identity is made once and never changes.
CREATE TRIGGER `device_no_update` BEFORE UPDATE ON `device`
BEGIN SELECT RAISE(ABORT, 'waybill: the device identity never changes (UPDATE refused)'); END;
--> statement-breakpoint
CREATE TRIGGER `device_no_delete` BEFORE DELETE ON `device`
BEGIN SELECT RAISE(ABORT, 'waybill: the device identity never changes (DELETE refused)'); END;
--> statement-breakpoint
CREATE TRIGGER `device_only_one` BEFORE INSERT ON `device`
WHEN EXISTS (SELECT 1 FROM `device`)
BEGIN SELECT RAISE(ABORT, 'waybill: a data folder has one device identity (a second one refused)'); END;
