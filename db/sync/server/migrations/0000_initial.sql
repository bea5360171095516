CREATE TABLE "devices" (
	"device_id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"secret_sha256" text NOT NULL,
	"enrolled_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	"last_seen_at" timestamp with time zone,
	"acked_seq" bigint DEFAULT 0 NOT NULL,
	"chain_head" text NOT NULL,
	"reported_head" bigint DEFAULT 0 NOT NULL,
	"skew_ms" bigint,
	"forked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "enrolment_codes" (
	"code_sha256" text PRIMARY KEY NOT NULL,
	"device_name" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"used_by" uuid
);
--> statement-breakpoint
CREATE TABLE "events" (
	"server_seq" bigint PRIMARY KEY NOT NULL,
	"event_id" uuid NOT NULL,
	"device_id" uuid NOT NULL,
	"device_seq" bigint NOT NULL,
	"device_hash" text NOT NULL,
	"stream_id" text NOT NULL,
	"type" text NOT NULL,
	"schema_version" integer NOT NULL,
	"payload" text NOT NULL,
	"metadata" text NOT NULL,
	"recorded_at" text NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	CONSTRAINT "events_event_id" UNIQUE("event_id"),
	CONSTRAINT "events_device_seq" UNIQUE("device_id","device_seq")
);
--> statement-breakpoint
CREATE TABLE "quarantine" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"device_id" uuid NOT NULL,
	"device_seq" bigint NOT NULL,
	"event" jsonb NOT NULL,
	"reason" text NOT NULL,
	"received_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "server_counter" (
	"singleton" smallint PRIMARY KEY DEFAULT 1 NOT NULL,
	"last_seq" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "server_counter_one_row" CHECK ("server_counter"."singleton" = 1)
);
--> statement-breakpoint
CREATE TABLE "server_identity" (
	"singleton" smallint PRIMARY KEY DEFAULT 1 NOT NULL,
	"server_id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "server_identity_one_row" CHECK ("server_identity"."singleton" = 1)
);
--> statement-breakpoint
ALTER TABLE "events" ADD CONSTRAINT "events_device_id_devices_device_id_fk" FOREIGN KEY ("device_id") REFERENCES "public"."devices"("device_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "devices_name" ON "devices" USING btree ("name");--> statement-breakpoint
CREATE INDEX "quarantine_device_seq" ON "quarantine" USING btree ("device_id","device_seq");