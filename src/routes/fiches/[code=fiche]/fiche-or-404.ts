import { error } from '@sveltejs/kit';
import type { Db } from '$lib/server/db';
import { getDb } from '$lib/server/db/instance';
import { FICHE_CODE_PATTERN } from '$lib/utils/text';

/** The fiche named by the URL, read by `find`, or a French 404. */
export async function ficheOr404<T>(
	code: string,
	find: (db: Db, code: string) => Promise<T | undefined>
): Promise<T> {
	const fiche = FICHE_CODE_PATTERN.test(code) ? await find(getDb(), code) : undefined;
	if (!fiche) error(404, `Aucune fiche-action ne porte le code « ${code.slice(0, 20)} ».`);
	return fiche;
}
