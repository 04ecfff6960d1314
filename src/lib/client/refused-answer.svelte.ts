/**
 * Whether the form answer the page shows is a refusal, as enhanceOnce applied it. The root layout
 * says it in the page's title (refusedTitle), the one place that writes it: SvelteKit's
 * `page.status` says so only until the page reads its data again after the refusal
 * (readAgainOnRefusal: `page.status` is 200 again, `page.form` null), while the refusal is still
 * shown. A navigation to another page shows no answer (the layout sets it back).
 */
export const shownAnswer = $state({ refused: false });
