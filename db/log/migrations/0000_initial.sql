CREATE TABLE `commands` (
	`command_id` text PRIMARY KEY NOT NULL,
	`type` text NOT NULL,
	`first_position` integer NOT NULL,
	`last_position` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `events` (
	`position` integer PRIMARY KEY NOT NULL,
	`event_id` text NOT NULL,
	`stream_id` text NOT NULL,
	`version` integer NOT NULL,
	`type` text NOT NULL,
	`schema_version` integer NOT NULL,
	`payload` text NOT NULL,
	`metadata` text NOT NULL,
	`recorded_at` text NOT NULL,
	`correlation_id` text,
	`command_id` text,
	`hash` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `events_stream_version` ON `events` (`stream_id`,`version`);--> statement-breakpoint
CREATE UNIQUE INDEX `events_event_id` ON `events` (`event_id`);--> statement-breakpoint
CREATE INDEX `events_type` ON `events` (`type`);--> statement-breakpoint
CREATE INDEX `events_correlation` ON `events` (`correlation_id`);--> statement-breakpoint
CREATE INDEX `events_recorded_at` ON `events` (`recorded_at`);--> statement-breakpoint
CREATE TABLE `tracking_codes` (
	`tracking_code` text PRIMARY KEY NOT NULL,
	`parcel_id` text NOT NULL,
	`position` integer NOT NULL
);
