import { m } from '../../shared/i18n/paraglide/messages.js';
import type { LazyRoute } from '../lib/router.svelte.ts';

/** `user`: signed in only · `guest`: signed out only (signed-in users go home) · `public`: anyone. */
export type TenantAccess = 'user' | 'guest' | 'public';
export type TenantRoute = LazyRoute<TenantAccess>;

// Every page is its own chunk, loaded on first visit (issue 6: initial JS ≤ 80 KB gzip): the request
// forms bring zod and the ticket types, the contract page brings QR codes, and so on; the first paint
// needs none of them. Only the titles (a few message functions) stay in the entry.
export const routes: readonly TenantRoute[] = [
  { path: '/', load: () => import('./pages/Home.svelte'), title: m.nav_home, access: 'user' },
  {
    path: '/contracts',
    load: () => import('./pages/Contracts.svelte'),
    title: m.nav_contracts,
    access: 'user',
  },
  {
    path: '/contracts/:id',
    load: () => import('./pages/ContractDetail.svelte'),
    title: m.contract_heading,
    access: 'user',
  },
  { path: '/invoices', load: () => import('./pages/Invoices.svelte'), title: m.nav_invoices, access: 'user' },
  {
    path: '/invoices/:id',
    load: () => import('./pages/InvoiceDetail.svelte'),
    title: m.invoice_heading,
    access: 'user',
  },
  {
    path: '/property',
    load: () => import('./pages/OwnerProperty.svelte'),
    title: m.nav_property,
    access: 'user',
  },
  {
    path: '/property/:id',
    load: () => import('./pages/OwnerAccount.svelte'),
    title: m.owner_account_heading,
    access: 'user',
  },
  {
    path: '/documents',
    load: () => import('./pages/Documents.svelte'),
    title: m.nav_documents,
    access: 'user',
  },
  { path: '/requests', load: () => import('./pages/Requests.svelte'), title: m.nav_requests, access: 'user' },
  {
    path: '/requests/new',
    load: () => import('./pages/RequestNew.svelte'),
    title: m.req_new,
    access: 'user',
  },
  {
    path: '/requests/:id',
    load: () => import('./pages/RequestDetail.svelte'),
    title: m.req_detail_heading,
    access: 'user',
  },
  { path: '/notices', load: () => import('./pages/Notices.svelte'), title: m.nav_notices, access: 'user' },
  { path: '/contacts', load: () => import('./pages/Contacts.svelte'), title: m.nav_contacts, access: 'user' },
  { path: '/settings', load: () => import('./pages/Settings.svelte'), title: m.nav_settings, access: 'user' },
  {
    path: '/settings/password',
    load: () => import('./pages/ChangePassword.svelte'),
    title: m.change_password_title,
    access: 'user',
  },
  {
    path: '/settings/email',
    load: () => import('./pages/ChangeEmail.svelte'),
    title: m.change_email_title,
    access: 'user',
  },
  { path: '/login', load: () => import('./pages/Login.svelte'), title: m.login_title, access: 'guest' },
  {
    path: '/register',
    load: () => import('./pages/Register.svelte'),
    title: m.register_title,
    access: 'guest',
  },
  // Public, not guest: the last step signs the registrant in and then asks for their details.
  {
    path: '/register/by-number',
    load: () => import('./pages/RegisterByNumber.svelte'),
    title: m.signup_title,
    access: 'public',
  },
  {
    path: '/register/request-letter',
    load: () => import('./pages/RequestLetter.svelte'),
    title: m.letter_request_title,
    access: 'guest',
  },
  { path: '/verify', load: () => import('./pages/Verify.svelte'), title: m.verify_title, access: 'public' },
  {
    path: '/forgot-password',
    load: () => import('./pages/ForgotPassword.svelte'),
    title: m.forgot_title,
    access: 'public',
  },
  {
    path: '/reset-password',
    load: () => import('./pages/ResetPassword.svelte'),
    title: m.reset_title,
    access: 'public',
  },
  {
    path: '/confirm-email',
    load: () => import('./pages/ConfirmEmail.svelte'),
    title: m.confirm_email_title,
    access: 'public',
  },
  {
    path: '/privacy',
    load: () => import('./pages/Privacy.svelte'),
    title: m.privacy_title,
    access: 'public',
  },
  { path: '/terms', load: () => import('./pages/Terms.svelte'), title: m.terms_title, access: 'public' },
];

export const notFoundRoute: TenantRoute = {
  path: '*',
  load: () => import('./pages/NotFound.svelte'),
  title: m.not_found_title,
  access: 'public',
};
