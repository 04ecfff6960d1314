import { describe, expect, it } from 'vitest';
import { actions } from './+page.server';
import { adminDatabase, formAnswer, postAction } from '../../route-testing';

// « Ouvrir une campagne »: the error summary lists what the server sends in its order; the server
// gives the messages in the order of the fields on the page (the order the browser posts them),
// the dates' problems found against today included (review s49; form order s50).

const portal = adminDatabase();

describe('« Ouvrir une campagne » refused on every field', () => {
	/** The refusal's fields, the form posted with `fields` in their order. */
	async function refusedFields(fields: Record<string, string>) {
		const answer = await formAnswer(() =>
			postAction(
				actions.open,
				{ path: '/admin/campagnes?/open', route: '/admin/campagnes' },
				portal.admin,
				fields
			)
		);
		expect(answer.status).toBe(400);
		return Object.keys(answer.errors);
	}

	it('answers the messages in the order of the page’s fields, as the browser posts them', async () => {
		const page = { title: '', deadline: '2020-01-01', scope: 'all', reminders: 'souvent' };
		expect(await refusedFields(page)).toEqual(['title', 'deadline', 'reminders']);
		// The order comes from the form, not from a list of the route's.
		const { reminders, deadline, scope, title } = page;
		expect(await refusedFields({ reminders, deadline, scope, title })).toEqual([
			'reminders',
			'deadline',
			'title'
		]);
	});
});
