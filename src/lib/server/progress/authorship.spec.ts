import { afterEach, beforeEach, expect, it } from 'vitest';
import type { User } from '../auth/users';
import type { Db } from '../db';
import { createTestDb } from '../db/testing';
import { updateAuthorship } from '../../utils/vocabulary';
import {
	findProgressUpdate,
	listOrganisationPendingUpdates,
	listSubmittedUpdates
} from './repository';
import { saveProgressUpdate } from './service';
import { createProgressCast, progressInput } from './testing';

let db: Db;
let cdg: User;
let colleague: User;

beforeEach(async () => {
	db = await createTestDb();
	({ cdg, colleague } = await createProgressCast(db));
});
afterEach(async () => {
	await db.destroy();
});

it('names who submitted the version shown, and who began it when that was someone else', async () => {
	// Claire saves a draft; Paul, of the same organisation, rewrites it and submits it.
	const draft = await saveProgressUpdate(
		db,
		colleague,
		'1-2',
		null,
		progressInput({ intent: 'draft' }),
		null
	);
	if (!draft.ok) throw new Error(draft.message);
	const alone = (await findProgressUpdate(db, draft.value.id))!;
	expect(updateAuthorship(alone)).toBe(`saisie par ${colleague.name}`);

	const sent = await saveProgressUpdate(
		db,
		cdg,
		'1-2',
		draft.value.id,
		progressInput({ version: 1, done: 'Réécrite.' }),
		null
	);
	expect(sent).toMatchObject({ ok: true, value: { state: 'submitted' } });
	const update = (await findProgressUpdate(db, draft.value.id))!;
	expect(update).toMatchObject({
		authorName: colleague.name,
		updatedByName: cdg.name,
		authorId: colleague.id,
		updatedBy: cdg.id
	});
	const words = `commencée par ${colleague.name}, soumise par ${cdg.name}`;
	// The queue of staff, the update's page and the partner's /espace read the same words.
	expect(updateAuthorship(update)).toBe(words);
	expect((await listSubmittedUpdates(db)).map(updateAuthorship)).toEqual([words]);
	expect(
		(await listOrganisationPendingUpdates(db, cdg.organisationId!)).map(updateAuthorship)
	).toEqual([words]);
	// Taken back to a draft by Paul: still begun by Claire, last saved by Paul.
	expect(updateAuthorship({ ...update, state: 'draft' })).toBe(
		`commencée par ${colleague.name}, enregistrée par ${cdg.name}`
	);
});
