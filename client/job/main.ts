import { mount } from 'svelte';
import '../lib/styles/global.css';
import './job.css';
// Before any component: the page speaks the contractor's language once the job is loaded.
import './locale.svelte.ts';
import App from './App.svelte';

const target = document.getElementById('app');
if (target) mount(App, { target });
