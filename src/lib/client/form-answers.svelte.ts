import { untrack } from 'svelte';

type Values = Record<string, string>;

/**
 * For a page of several enhanced forms: what each form's last refusal sent back (what was typed,
 * over the record as it is now), kept while the other forms answer.
 *
 * SvelteKit's `form` holds the page's last answer only. A form whose fields read it would take the
 * record's values (or nothing) as soon as another form of the page is refused, and Svelte writes
 * those over what is typed there: a full name corrected after a refused save, then « Retirer »
 * sent without its reason, was put back as stored. Kept here, each form shows its own last answer
 * until it is drawn anew from the record (`drawn(form)` changes: another record, or its own save;
 * the form is keyed on it): the other forms' saves leave it as it is.
 *
 * Called during a component's set-up. `answer`: the page's `form?.values`; `formOf`: which form
 * sent them; returns, for a form, the values to show, or undefined when it has answered nothing
 * since it was drawn.
 */
export function formAnswers(
	answer: () => Values | null | undefined,
	formOf: (values: Values) => string,
	drawn: (form: string) => string
): (form: string) => Values | undefined {
	let kept = $state.raw<Record<string, { drawn: string; values: Values }>>({});
	$effect.pre(() => {
		const values = answer();
		if (!values) return;
		const form = formOf(values);
		const key = drawn(form);
		untrack(() => {
			kept = { ...kept, [form]: { drawn: key, values } };
		});
	});
	return (form) => {
		// The last answer first: in the page the server renders (no effect runs there), the only one.
		const values = answer();
		if (values && formOf(values) === form) return values;
		const last = kept[form];
		return last && last.drawn === drawn(form) ? last.values : undefined;
	};
}
