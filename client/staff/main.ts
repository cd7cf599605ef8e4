import { mount } from 'svelte';
import '../lib/styles/global.css';
import '../lib/styles/shell.css';
import './console.css';
// Before any component: makes Paraglide's getLocale() reactive and sets <html lang>.
import '../lib/i18n.svelte.ts';
import App from './App.svelte';

const target = document.getElementById('app');
if (target) mount(App, { target });
