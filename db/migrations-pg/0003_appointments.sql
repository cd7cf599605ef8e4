CREATE TABLE "appointment_slots" (
	"id" text PRIMARY KEY NOT NULL,
	"appointment_id" text NOT NULL,
	"position" integer NOT NULL,
	"start_at" timestamp (3) with time zone NOT NULL,
	"end_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "appointments" (
	"id" text PRIMARY KEY NOT NULL,
	"ticket_id" text NOT NULL,
	"series_id" text NOT NULL,
	"sequence" integer DEFAULT 0 NOT NULL,
	"state" text DEFAULT 'proposed' NOT NULL,
	"proposed_by_user_id" text,
	"proposed_by_job_link_id" text,
	"contractor_id" text,
	"outside_windows" boolean DEFAULT false NOT NULL,
	"confirmed_slot_id" text,
	"confirmed_start_at" timestamp (3) with time zone,
	"confirmed_end_at" timestamp (3) with time zone,
	"confirmed_by_user_id" text,
	"confirmed_at" timestamp (3) with time zone,
	"move_reason" text,
	"move_requested_by_user_id" text,
	"move_requested_at" timestamp (3) with time zone,
	"cancel_reason" text,
	"cancelled_by_user_id" text,
	"cancelled_by_job_link_id" text,
	"cancelled_at" timestamp (3) with time zone,
	"reminder_sent_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone NOT NULL,
	"updated_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "appointment_slots" ADD CONSTRAINT "appointment_slots_appointment_id_appointments_id_fk" FOREIGN KEY ("appointment_id") REFERENCES "public"."appointments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appointments" ADD CONSTRAINT "appointments_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appointments" ADD CONSTRAINT "appointments_proposed_by_user_id_users_id_fk" FOREIGN KEY ("proposed_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appointments" ADD CONSTRAINT "appointments_proposed_by_job_link_id_job_links_id_fk" FOREIGN KEY ("proposed_by_job_link_id") REFERENCES "public"."job_links"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appointments" ADD CONSTRAINT "appointments_contractor_id_contractors_id_fk" FOREIGN KEY ("contractor_id") REFERENCES "public"."contractors"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appointments" ADD CONSTRAINT "appointments_confirmed_by_user_id_users_id_fk" FOREIGN KEY ("confirmed_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appointments" ADD CONSTRAINT "appointments_move_requested_by_user_id_users_id_fk" FOREIGN KEY ("move_requested_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appointments" ADD CONSTRAINT "appointments_cancelled_by_user_id_users_id_fk" FOREIGN KEY ("cancelled_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appointments" ADD CONSTRAINT "appointments_cancelled_by_job_link_id_job_links_id_fk" FOREIGN KEY ("cancelled_by_job_link_id") REFERENCES "public"."job_links"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "appointment_slots_appointment_idx" ON "appointment_slots" USING btree ("appointment_id","position");--> statement-breakpoint
CREATE INDEX "appointments_ticket_idx" ON "appointments" USING btree ("ticket_id","created_at");--> statement-breakpoint
CREATE INDEX "appointments_reminder_idx" ON "appointments" USING btree ("state","confirmed_start_at");