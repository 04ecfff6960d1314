import { error, type RequestEvent } from '@sveltejs/kit';
import type { Db } from '$lib/server/db';
import { getDb } from '$lib/server/db/instance';
import { movedFicheCode } from '$lib/server/http/moved-fiche';

/**
 * The fiche named by the URL, read by `find`; a fiche that moved to another objective (a new code)
 * is found at its former address too, by a redirect to its new one (bookmarks, links in mails
 * already sent), a temporary one (307) that browsers do not keep for good; otherwise a French 404.
 * The code is not given again in its objective (listObjectiveFicheNumbers). The address's code
 * has a fiche code's shape (`[code=fiche]`).
 */
export async function ficheOr404<T>(
	event: RequestEvent,
	find: (db: Db, code: string) => Promise<T | undefined>
): Promise<T> {
	const code = event.params.code ?? '';
	const fiche = await find(getDb(), code);
	if (fiche) return fiche;
	await movedFicheCode(event);
	error(404, `Aucune fiche-action ne porte le code « ${code.slice(0, 20)} ».`);
}
