import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import Page from './+page.svelte';

describe('« Ouvrir une campagne »: the error summary', () => {
	it('names the refused fields in page order', () => {
		const data = { campaigns: [], axes: [], organisations: [], sittings: [], defaultReminders: '' };
		// As the server sends them: the reminders before the deadline.
		const errors = {
			reminders: 'Rappels illisibles',
			deadline: 'Date passée',
			title: 'Titre vide'
		};
		const body = render(Page, { props: { data, form: { errors, values: {} } } as never }).body;
		const links = [...body.matchAll(/<a href="#(\w+)"/g)].map((m) => m[1]!);
		expect(links.filter((id) => id in errors)).toEqual(['title', 'deadline', 'reminders']);
	});
});
