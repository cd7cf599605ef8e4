CREATE TABLE "repair_confirmations" (
	"id" text PRIMARY KEY NOT NULL,
	"ticket_id" text NOT NULL,
	"job_link_id" text NOT NULL,
	"contractor_id" text NOT NULL,
	"state" text DEFAULT 'asked' NOT NULL,
	"rating" integer,
	"comment" text,
	"asked_at" timestamp (3) with time zone NOT NULL,
	"answered_at" timestamp (3) with time zone,
	"answered_by_user_id" text
);
--> statement-breakpoint
ALTER TABLE "repair_confirmations" ADD CONSTRAINT "repair_confirmations_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "repair_confirmations" ADD CONSTRAINT "repair_confirmations_job_link_id_job_links_id_fk" FOREIGN KEY ("job_link_id") REFERENCES "public"."job_links"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "repair_confirmations" ADD CONSTRAINT "repair_confirmations_contractor_id_contractors_id_fk" FOREIGN KEY ("contractor_id") REFERENCES "public"."contractors"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "repair_confirmations" ADD CONSTRAINT "repair_confirmations_answered_by_user_id_users_id_fk" FOREIGN KEY ("answered_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "repair_confirmations_link_idx" ON "repair_confirmations" USING btree ("job_link_id");--> statement-breakpoint
CREATE INDEX "repair_confirmations_ticket_idx" ON "repair_confirmations" USING btree ("ticket_id","asked_at");--> statement-breakpoint
CREATE INDEX "repair_confirmations_contractor_idx" ON "repair_confirmations" USING btree ("contractor_id","state");