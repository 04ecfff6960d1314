// Test helpers: a bilan's draft saved as its form saves one. Not part of the portal.
import type { User } from '../auth/users';
import type { Db } from '../db';
import { saveEditionDraft, type DraftInput } from './service';

/**
 * The draft of a bilan saved by `admin`: 2024's as of 31 December, « Texte relu », no axis text
 * and no correction note, unless `input` says otherwise. Its id; a refusal throws.
 */
export async function savedDraft(
	db: Db,
	admin: User,
	input: Partial<DraftInput> = {}
): Promise<number> {
	const saved = await saveEditionDraft(
		db,
		admin,
		{
			year: 2024,
			asOf: '2024-12-31',
			intro: 'Texte relu',
			axisTexts: {},
			changeNote: null,
			...input
		},
		null
	);
	if (!saved.ok) throw new Error(saved.message);
	return saved.value.id;
}
