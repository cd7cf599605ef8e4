import { m } from '../../shared/i18n/paraglide/messages.js';
import type { Route } from '../lib/router.svelte.ts';
import ChangeEmail from './pages/ChangeEmail.svelte';
import ChangePassword from './pages/ChangePassword.svelte';
import ConfirmEmail from './pages/ConfirmEmail.svelte';
import Contacts from './pages/Contacts.svelte';
import ContractDetail from './pages/ContractDetail.svelte';
import Contracts from './pages/Contracts.svelte';
import Documents from './pages/Documents.svelte';
import ForgotPassword from './pages/ForgotPassword.svelte';
import Home from './pages/Home.svelte';
import InvoiceDetail from './pages/InvoiceDetail.svelte';
import Invoices from './pages/Invoices.svelte';
import Login from './pages/Login.svelte';
import NotFound from './pages/NotFound.svelte';
import Notices from './pages/Notices.svelte';
import Privacy from './pages/Privacy.svelte';
import Register from './pages/Register.svelte';
import RequestDetail from './pages/RequestDetail.svelte';
import RequestNew from './pages/RequestNew.svelte';
import Requests from './pages/Requests.svelte';
import ResetPassword from './pages/ResetPassword.svelte';
import Settings from './pages/Settings.svelte';
import Terms from './pages/Terms.svelte';
import Verify from './pages/Verify.svelte';

/** `user`: signed in only · `guest`: signed out only (signed-in users go home) · `public`: anyone. */
export type TenantAccess = 'user' | 'guest' | 'public';
export type TenantRoute = Route<TenantAccess>;

export const routes: readonly TenantRoute[] = [
  { path: '/', component: Home, title: m.nav_home, access: 'user' },
  { path: '/contracts', component: Contracts, title: m.nav_contracts, access: 'user' },
  { path: '/contracts/:id', component: ContractDetail, title: m.contract_heading, access: 'user' },
  { path: '/invoices', component: Invoices, title: m.nav_invoices, access: 'user' },
  { path: '/invoices/:id', component: InvoiceDetail, title: m.invoice_heading, access: 'user' },
  { path: '/documents', component: Documents, title: m.nav_documents, access: 'user' },
  { path: '/requests', component: Requests, title: m.nav_requests, access: 'user' },
  { path: '/requests/new', component: RequestNew, title: m.req_new, access: 'user' },
  { path: '/requests/:id', component: RequestDetail, title: m.req_detail_heading, access: 'user' },
  { path: '/notices', component: Notices, title: m.nav_notices, access: 'user' },
  { path: '/contacts', component: Contacts, title: m.nav_contacts, access: 'user' },
  { path: '/settings', component: Settings, title: m.nav_settings, access: 'user' },
  { path: '/settings/password', component: ChangePassword, title: m.change_password_title, access: 'user' },
  { path: '/settings/email', component: ChangeEmail, title: m.change_email_title, access: 'user' },
  { path: '/login', component: Login, title: m.login_title, access: 'guest' },
  { path: '/register', component: Register, title: m.register_title, access: 'guest' },
  { path: '/verify', component: Verify, title: m.verify_title, access: 'public' },
  { path: '/forgot-password', component: ForgotPassword, title: m.forgot_title, access: 'public' },
  { path: '/reset-password', component: ResetPassword, title: m.reset_title, access: 'public' },
  { path: '/confirm-email', component: ConfirmEmail, title: m.confirm_email_title, access: 'public' },
  { path: '/privacy', component: Privacy, title: m.privacy_title, access: 'public' },
  { path: '/terms', component: Terms, title: m.terms_title, access: 'public' },
];

export const notFoundRoute: TenantRoute = {
  path: '*',
  component: NotFound,
  title: m.not_found_title,
  access: 'public',
};
