import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { Deps } from './deps.ts';
import { DomainError, httpErrorResponse } from './lib/http-error.ts';
import {
  noteStorageFailure,
  storageConditionOf,
  storageUnavailable,
  textRefusedByStore,
} from './lib/storage-errors.ts';
import { badRequest } from './domain/errors.ts';
import type { AppEnv } from './lib/context.ts';
import { serveClient } from './lib/static.ts';
import { securityHeaders } from './lib/security-headers.ts';
import { compressResponses } from './lib/compression.ts';
import { apiBodyLimit } from './lib/body-limit.ts';
import { originCheck } from './auth/origin.ts';
import { sessionMiddleware } from './auth/middleware.ts';
import { health } from './routes/health.ts';
import { metrics } from './routes/metrics.ts';
import { metricsOf } from './lib/metrics.ts';
import { auth } from './routes/auth.ts';
import { me } from './routes/me.ts';
import { uploads } from './routes/uploads.ts';
import { tickets } from './routes/tickets.ts';
import { staffTickets } from './routes/staff-tickets.ts';
import { staffCannedReplies } from './routes/staff-canned-replies.ts';
import { staffRegistrationLetters, staffTenants } from './routes/staff-tenants.ts';
import { staffAdmin } from './routes/staff-admin.ts';
import { staffAdminEmergencies } from './routes/staff-admin-emergencies.ts';
import { staffAdminWebhooks } from './routes/staff-admin-webhooks.ts';
import { staffAdminContractors, staffContractors } from './routes/contractors.ts';
import { branding } from './routes/branding.ts';
import { staffNotices } from './routes/staff-notices.ts';
import { staffIncidents } from './routes/staff-incidents.ts';
import { staffDocuments } from './routes/staff-documents.ts';
import { incidents } from './routes/incidents.ts';
import { notices } from './routes/notices.ts';
import { documents } from './routes/documents.ts';
import { profile } from './routes/profile.ts';
import { push } from './routes/push.ts';
import { household } from './routes/household.ts';
import { contacts } from './routes/contacts.ts';
import { owner } from './routes/owner.ts';
import { home } from './routes/home.ts';
import { contracts } from './routes/contracts.ts';
import { certificates } from './routes/certificates.ts';
import { invoices } from './routes/invoices.ts';
import { manifest } from './routes/manifest.ts';
import { integration } from './routes/integration.ts';
import { staffAdminApiKeys } from './routes/staff-admin-api-keys.ts';
import { staffAdminImports } from './routes/staff-admin-imports.ts';
import { staffReports } from './routes/staff-reports.ts';
import { unsubscribeRoutes } from './routes/unsubscribe.ts';
import { numberSignup } from './routes/number-signup.ts';
import { letterRequests, staffLetterRequests } from './routes/letter-requests.ts';
import { staffDispatch } from './routes/staff-dispatch.ts';
import { job } from './routes/job.ts';
import { staffTicketAppointments, ticketAppointments } from './routes/appointments.ts';
import { ticketRepairConfirmation } from './routes/repair-confirmation.ts';
import { staffRepairReports } from './routes/staff-repair-reports.ts';

/** Builds the HTTP app. Tests call `createApp(deps).request(...)`; main.ts serves it. */
export function createApp(deps: Deps) {
  const app = new Hono<AppEnv>();

  // Counts every answer for GET /metrics, error pages and compressed ones included.
  app.use(metricsOf(deps).countRequests());
  // Outermost, so it sees every answer as sent, error pages included (issue 16).
  app.use(compressResponses());
  app.use(securityHeaders(deps.config));
  app.use(async (c, next) => {
    c.set('deps', deps);
    // A NUL character (%00) in the path or query names nothing here, and PostgreSQL refuses it
    // in a statement: the same 400 on both stores, before any route reads it.
    if (c.req.url.includes('%00')) {
      throw badRequest('invalid_character', 'The address holds a NUL character.');
    }
    await next();
  });

  // Machines (the landlord's ERP) with API keys: registered before the browser API below, whose
  // Origin check and session middleware must never run for them (routes/integration.ts).
  app.route('/api/v1', integration);
  // One-click unsubscribe (RFC 8058): a mailbox provider POSTs without Origin or session; the
  // signed token in the path is the whole authorization (routes/unsubscribe.ts).
  app.route('/api/unsubscribe', unsubscribeRoutes);

  const api = new Hono<AppEnv>();
  // Order matters: a foreign Origin is refused before its body is read, and the session (a cookie
  // lookup) is known before the body limit lets up to 25 MB of multipart through.
  api.use(originCheck, sessionMiddleware, apiBodyLimit);
  api.route('/health', health);
  api.route('/auth/register/by-number', numberSignup);
  api.route('/auth', auth);
  api.route('/registration-letter-requests', letterRequests);
  api.route('/me', me);
  api.route('/', uploads); // POST /uploads, GET /attachments/:id[/thumbnail]
  api.route('/', tickets); // /ticket-types, /tickets…
  api.route('/', ticketAppointments); // /tickets/:id/appointment[.ics|/confirm|/move]
  api.route('/', ticketRepairConfirmation); // /tickets/:id/repair-confirmation: fixed or not
  api.route('/staff/tickets', staffTickets);
  api.route('/staff/tickets', staffDispatch); // /:id/dispatch[/:jobLinkId]: contractors' jobs
  api.route('/staff/tickets', staffTicketAppointments); // /:id/appointment: propose, see, cancel
  api.route('/job', job); // the contractor's job link: the token in the path is the authorization
  api.route('/staff/canned-replies', staffCannedReplies);
  api.route('/staff/tenants', staffTenants);
  api.route('/staff/registration-letters', staffRegistrationLetters);
  api.route('/staff/letter-requests', staffLetterRequests);
  api.route('/staff/admin/api-keys', staffAdminApiKeys);
  api.route('/staff/admin/imports', staffAdminImports);
  api.route('/staff/admin/webhooks', staffAdminWebhooks);
  api.route('/staff/admin/contractors', staffAdminContractors);
  api.route('/staff/contractors', staffContractors); // ?building=&trade=: the dispatch picker
  api.route('/staff/admin', staffAdminEmergencies); // /sla, /teams/:id/on-call
  api.route('/staff/admin', staffAdmin);
  api.route('/branding', branding); // public: GET /branding, GET /branding/logo
  api.route('/staff/notices', staffNotices);
  api.route('/staff/incidents', staffIncidents);
  api.route('/staff/documents', staffDocuments);
  api.route('/staff/reports', staffReports); // /filters, /tickets, /tickets.csv
  api.route('/staff/reports/contractors', staffRepairReports); // repairs per contractor
  api.route('/incidents', incidents);
  api.route('/notices', notices);
  api.route('/documents', documents);
  api.route('/push', push); // /push/public-key, /push/subscriptions (POST, DELETE), /push/test
  api.route('/', profile); // /profile, /settings/notifications, /push/subscriptions[/:id]
  api.route('/', household); // /contracts/:id/household[/invitations|/:personId]
  api.route('/contacts', contacts);
  api.route('/owner', owner);
  api.route('/home', home);
  api.route('/contracts', contracts);
  api.route('/contracts', certificates); // GET /contracts/:id/certificates/{rent,residence}.pdf
  api.route('/invoices', invoices);
  api.all('*', (c) => c.json({ error: { code: 'not_found', message: 'No such route.' } }, 404));
  app.route('/api', api);

  app.route('/', manifest); // GET /manifest.webmanifest: branded, in the reader's language
  app.route('/metrics', metrics); // Prometheus; loopback or METRICS_TOKEN only (routes/metrics.ts)
  serveClient(app);

  app.onError((error, c) => {
    const domain = error instanceof DomainError ? error : textRefusedByStore(error);
    if (domain) {
      const { status, headers, body } = httpErrorResponse(domain);
      return c.json(body, status, headers);
    }
    const storage = storageConditionOf(error);
    if (storage) {
      // A full disk or read-only file is the machine's state, not a bug: 503 + Retry-After (issue 7).
      noteStorageFailure(deps.db, storage, deps.now().getTime());
      const unavailable = storageUnavailable();
      return c.json(
        { error: { code: unavailable.code, message: unavailable.message } },
        503,
        unavailable.headers,
      );
    }
    if (error instanceof HTTPException) {
      return c.json({ error: { code: 'http_error', message: error.message } }, error.status);
    }
    console.error('unhandled error', c.req.method, c.req.path, error);
    return c.json({ error: { code: 'internal_error', message: 'Something went wrong on our side.' } }, 500);
  });

  return app;
}

export type App = ReturnType<typeof createApp>;
