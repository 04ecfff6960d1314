// The submit function of the forms that set a password (`use:enhanceOnce={forgetPasswordsOnRefusal}`).

import type { SubmitFunction } from '@sveltejs/kit';

/**
 * `use:enhanceOnce={forgetPasswordsOnRefusal}`: a refusal empties the form's password fields, as
 * the page drawn anew without script shows them (the server never gives a password back): the
 * person types them again, rather than correct a field of dots they cannot read. The form, marked
 * `data-refusal-summary`, takes the focus to the page's summary of the refusal (ErrorSummary),
 * where the page sent without script opens.
 */
export const forgetPasswordsOnRefusal: SubmitFunction =
	({ formElement }) =>
	async ({ result, update }) => {
		await update();
		if (result.type !== 'failure') return;
		for (const field of formElement.querySelectorAll<HTMLInputElement>('input[type="password"]'))
			field.value = '';
	};
