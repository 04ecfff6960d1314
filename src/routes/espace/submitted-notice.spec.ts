import { describe, expect, it } from 'vitest';
import { createProgressCast, preparedUpdate } from '$lib/server/progress/testing';
import type { User } from '$lib/server/auth/users';
import * as espace from './+page.server';
import { adminDatabase, routeEvent } from '../route-testing';

// /espace?soumis=N(&deja=1): the receipt of a submission, said only to whoever submitted it, in the
// ten minutes after (latestOwnAct): a colleague of the same organisation, or a crafted link, reads
// nothing.

const portal = adminDatabase();

async function receipt(reader: User, search: string) {
	const data = await espace.load(routeEvent(`/espace${search}`, '/espace', {}, reader) as never);
	return (data as { confirmation: { id: number; repeated: boolean } | null }).confirmation;
}

describe('the receipt after « Soumettre »', () => {
	it('is said to the one who submitted, not to a colleague', async () => {
		const cast = await createProgressCast(portal.db, portal.admin);
		const { id } = await preparedUpdate(portal.db, cast, 'submitted');
		expect(await receipt(cast.cdg, `?soumis=${id}`)).toMatchObject({ id, repeated: false });
		expect(await receipt(cast.cdg, `?soumis=${id}&deja=1`)).toMatchObject({ id, repeated: true });
		expect(await receipt(cast.colleague, `?soumis=${id}`)).toBeNull();
		expect(await receipt(cast.colleague, `?soumis=${id}&deja=1`)).toBeNull();
	});
});
