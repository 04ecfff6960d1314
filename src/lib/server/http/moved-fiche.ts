import { redirect, type RequestEvent } from '@sveltejs/kit';
import { findMovedFicheCode } from '../authoring/revisions-repository';
import { getDb } from '../db/instance';
import type { Refusal, Result } from '../result';

/**
 * Asked when a page or a form found no fiche under the address's code (`code` parameter; a form
 * may also have missed something else, such as its draft: then the retry misses again): the code
 * that fiche has now, if it moved to
 * another objective since (no fiche holds a former code: codes are never given twice); null
 * otherwise, for the page's own 404. A page asked for at the former address (a bookmark, a link in
 * a mail already sent) is redirected (307) to the same address under the new code; a form posted
 * there (a page opened before the move) acts on the fiche under its new code, so that nothing
 * typed is lost.
 */
export async function movedFicheCode(event: RequestEvent): Promise<string | null> {
	// A fiche code's shape: the routes' `[code=fiche]` checked it.
	const code = event.params.code ?? '';
	const moved = await findMovedFicheCode(getDb(), code);
	if (!moved) return null;
	const method = event.request.method;
	if (method === 'GET' || method === 'HEAD') redirectToMovedFiche(event.url, code, moved);
	return moved;
}

/** A refusal saying there is no such fiche (or no such thing under it): what a move would cause. */
export const notFound = (result: Result<unknown>): boolean => !result.ok && result.status === 404;

/**
 * Runs `act` on the fiche of the address's code and, when `missed` says it found none there, once
 * more under the code the fiche has now if it moved since (`movedFicheCode`: a page asked for is
 * redirected instead). What was answered, and the code it was answered under: a page opened before
 * the move reads, and its form saves, the fiche under its new code.
 */
export async function retryUnderMovedCode<T>(
	event: RequestEvent,
	act: (code: string) => Promise<T>,
	missed: (answer: T) => boolean
): Promise<{ answer: T; code: string }> {
	const code = event.params.code ?? '';
	const answer = await act(code);
	const moved = missed(answer) ? await movedFicheCode(event) : null;
	return moved ? { answer: await act(moved), code: moved } : { answer, code };
}

/**
 * `refusal`, of a form posted at the fiche's former address and decided under its new
 * code (`code`, retryUnderMovedCode): said first that the fiche moved and what it became. Read
 * again, the page comes under the new code; without it, the person who pressed « Abandonner » on
 * 16-1 read a conflict on a page headed « Modifier la fiche 15-2 ».
 */
export function toldMoved(event: RequestEvent, code: string, refusal: Refusal): Refusal {
	const former = event.params.code ?? '';
	if (code === former) return refusal;
	return {
		...refusal,
		message: `La fiche ${former} a été rattachée à un autre objectif entre-temps : elle est devenue la fiche ${code}. ${refusal.message}`
	};
}

/**
 * The same address under the fiche's new code, query kept, as a temporary redirect (307) that
 * browsers do not keep for good (a page whose service found the new code answers it so).
 */
export function redirectToMovedFiche(url: URL, former: string, moved: string): never {
	const segments = url.pathname.split('/');
	segments[segments.indexOf(former)] = moved;
	redirect(307, `${segments.join('/')}${url.search}`);
}
