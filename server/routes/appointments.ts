import { Hono } from 'hono';
import {
  cancelAppointmentRequest,
  confirmAppointmentRequest,
  moveAppointmentRequest,
  proposeAppointmentRequest,
} from '../../shared/api/appointments.ts';
import { requireCustomer, requireStaff, requireUser } from '../auth/middleware.ts';
import type { AppEnv } from '../lib/context.ts';
import { jsonBody } from '../lib/validate.ts';
import {
  appointmentIcsDownload,
  cancelAppointment,
  confirmAppointment,
  getAppointment,
  proposeSlotsByStaff,
  requestAppointmentMove,
} from '../services/repairs/appointments.ts';

/**
 * A ticket's repair appointment for its tenants (API.md "Appointments"): what is proposed or
 * booked, the confirmation of a slot, a request to move, the calendar file. Someone else's ticket
 * answers 404; a read-only household member 403 `read_only` on the changes.
 */
export const ticketAppointments = new Hono<AppEnv>()
  .get('/tickets/:id/appointment', requireUser, async (c) =>
    c.json(await getAppointment(c.get('deps'), c.get('user'), c.req.param('id'))),
  )
  .get('/tickets/:id/appointment.ics', requireUser, async (c) => {
    const text = await appointmentIcsDownload(c.get('deps'), c.get('user'), c.req.param('id'));
    return c.body(text, 200, {
      'Content-Type': 'text/calendar; charset=utf-8',
      'Content-Disposition': 'attachment; filename="appointment.ics"',
      'Cache-Control': 'private, no-store',
    });
  })
  .post('/tickets/:id/appointment/confirm', requireCustomer, jsonBody(confirmAppointmentRequest), async (c) =>
    c.json({
      appointment: await confirmAppointment(c.get('deps'), c.get('user'), c.req.param('id'), c.get('body')),
    }),
  )
  .post('/tickets/:id/appointment/move', requireCustomer, jsonBody(moveAppointmentRequest), async (c) =>
    c.json({
      appointment: await requestAppointmentMove(
        c.get('deps'),
        c.get('user'),
        c.req.param('id'),
        c.get('body'),
      ),
    }),
  );

/** The staff side, under /api/staff/tickets: propose slots, see the state, cancel. */
export const staffTicketAppointments = new Hono<AppEnv>()
  .use(requireStaff)
  .get('/:id/appointment', async (c) =>
    c.json(await getAppointment(c.get('deps'), c.get('user'), c.req.param('id'))),
  )
  .post('/:id/appointment', jsonBody(proposeAppointmentRequest), async (c) =>
    c.json(
      {
        appointment: await proposeSlotsByStaff(
          c.get('deps'),
          c.get('user'),
          c.req.param('id'),
          c.get('body'),
        ),
      },
      201,
    ),
  )
  .delete('/:id/appointment', jsonBody(cancelAppointmentRequest), async (c) =>
    c.json({
      appointment: await cancelAppointment(c.get('deps'), c.get('user'), c.req.param('id'), c.get('body')),
    }),
  );
