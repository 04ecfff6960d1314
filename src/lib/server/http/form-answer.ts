import { fail } from '@sveltejs/kit';
import type { z } from 'zod';
import { parseForm, type FieldErrors } from '../../schemas/form';
import { refuse, type Refusal } from '../result';

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

/** The answer to a form some of whose fields do not pass: 400, each field's message, what was typed. */
export function invalidFormAnswer<V extends Record<string, unknown>>(
	fieldErrors: FieldErrors,
	values?: V
) {
	return refusalAnswer(
		refuse(400, 'Le formulaire contient des erreurs : corrigez les champs signalés.', {
			fieldErrors
		}),
		values
	);
}

/**
 * Reads a posted form with parseForm. When every field passes: its `data`, and the `values` as
 * typed (with `keep` added, such as which of the page's forms it was) for the answer to the
 * service's refusal; otherwise `answer`, the 400 answer to return (invalidFormAnswer).
 */
export function readPostedForm<
	F extends string,
	S extends z.ZodType,
	K extends Record<string, string> = Record<never, string>
>(formData: FormData, fields: readonly F[], schema: S, keep?: K) {
	const { values: typed, errors, data } = parseForm(formData, fields, schema);
	const values = { ...typed, ...keep } as Record<F, string> & K;
	if (!data || Object.keys(errors).length > 0)
		return { answer: invalidFormAnswer(errors, values), values, data: undefined };
	return { answer: undefined, values, data: data as z.output<S> };
}
