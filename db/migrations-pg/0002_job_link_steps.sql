CREATE TABLE "job_link_steps" (
	"id" text PRIMARY KEY NOT NULL,
	"job_link_id" text NOT NULL,
	"ticket_id" text NOT NULL,
	"kind" text NOT NULL,
	"note" text,
	"created_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "job_link_steps" ADD CONSTRAINT "job_link_steps_job_link_id_job_links_id_fk" FOREIGN KEY ("job_link_id") REFERENCES "public"."job_links"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "job_link_steps" ADD CONSTRAINT "job_link_steps_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "job_link_steps_link_idx" ON "job_link_steps" USING btree ("job_link_id","created_at");--> statement-breakpoint
CREATE INDEX "job_link_steps_ticket_idx" ON "job_link_steps" USING btree ("ticket_id");