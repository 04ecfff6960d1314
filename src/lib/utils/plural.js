// French plural forms, in plain JavaScript: also read by src/lib/server/config.js, which the
// server's start (scripts/start.js) loads without TypeScript. format.ts gives it to the rest.

const pluralRules = new Intl.PluralRules('fr-FR');

/**
 * The French form for a count, by the language's rule (Intl.PluralRules): singular for 0 and 1
 * (and 1,5), plural from 2 on. `plural(n, 'a été fermée', 'ont été fermées')`.
 * @param {number} count @param {string} singular @param {string} pluralForm
 * @returns {string}
 */
export function plural(count, singular, pluralForm) {
	return pluralRules.select(count) === 'one' ? singular : pluralForm;
}
