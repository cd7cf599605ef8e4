/** Account services: sign-in, registration, passwords, login e-mail, own profile. */
export { getPasswordPolicy } from './common.ts';
export { login, logout, logoutEverywhere, type LoginResult } from './login.ts';
export { register, verifyEmail } from './registration.ts';
export { changePassword, forgotPassword, resetPassword } from './password.ts';
export {
  cancelEmailChange,
  confirmEmailChange,
  getPendingEmailChange,
  requestEmailChange,
} from './email-change.ts';
export { getMe, updateMe } from './profile.ts';
