import { fail } from '@sveltejs/kit';
import type { Refusal } from '../result';

/**
 * The form answer for a refused action: the status, the message shown above the form (`form`),
 * the message under each field, what the person typed (so nothing is lost) and, for a conflict,
 * what the other writer changed.
 */
export function refusalAnswer<V extends Record<string, unknown>>(refusal: Refusal, values?: V) {
	return fail(refusal.status, {
		values,
		message: refusal.message,
		errors: { form: refusal.message, ...refusal.fieldErrors } as Record<string, string>,
		changes: refusal.changes ?? []
	});
}
