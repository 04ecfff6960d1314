import { fail } from '@sveltejs/kit';
import type { Refusal } from '../result';

/**
 * The form answer for a refused action: the status, the message, the message under each field
 * (or, when the refusal names no field, under `form`: above the form), what the person typed (so nothing is lost) and, for a conflict,
 * what the other writer changed and the version stored now.
 */
export function refusalAnswer<V extends Record<string, unknown>>(refusal: Refusal, values?: V) {
	return fail(refusal.status, {
		values,
		message: refusal.message,
		errors: (refusal.fieldErrors ?? { form: refusal.message }) as Record<string, string>,
		changes: refusal.changes ?? [],
		stored: refusal.stored ?? null
	});
}
