import { expect, type Locator, type Page, type Response } from '@playwright/test';

/**
 * Sends a form (`send` presses its button, or Enter in a field) and waits until the page has shown
 * the answer. A form with `use:enhanceOnce` ignores a new submission while one waits for its answer
 * (it is `aria-busy` meanwhile), and an answer often shows the same message as the previous one:
 * waiting for that message alone lets a test act again before the answer, which a loaded machine
 * turns into a submission silently dropped.
 */
export async function sendAndWait(form: Locator, send: () => Promise<void>): Promise<Response> {
	const answered = form
		.page()
		.waitForResponse((response) => response.request().method() === 'POST');
	await send();
	const answer = await answered;
	await expect(form).not.toHaveAttribute('aria-busy');
	await fieldsReleased(form.page());
	return answer;
}

/**
 * Waits until no field of the page is held by a form sent (`[data-sending]`, holdFields in
 * src/lib/client/enhance-once/held-fields.ts): a form's fields are given back once its answer, a refusal too,
 * is fully applied, the page's data read again included — after the alert shows and `aria-busy`
 * goes. A box or a choice clicked before refuses the click: what a test acting on a form just
 * refused waits for (ci41, the abandon box of 7-3, under load).
 */
export async function fieldsReleased(page: Page): Promise<void> {
	await expect(page.locator('[data-sending]')).toHaveCount(0);
}
