import { expect, type Locator, type Response } from '@playwright/test';

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
	return answer;
}
