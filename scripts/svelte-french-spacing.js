// French spacing for the templates' own text, applied once when a component is compiled: the words
// written in the markup (« Statut : », « 3 fiches », « « Titre » ») get the same no-break spaces
// as the texts shown through frenchSpacing() at run time (src/lib/utils/french-spacing.js), so a
// line never starts with « : » or « » » on a phone. Nothing is added to a render.
//
// Only the markup's text is changed: not attribute values, not expressions (`{…}`), not <script>,
// <style>, nor what is shown as typed (<pre>, <code>, <kbd>, <samp>, <textarea>). The rule changes
// spaces into no-break spaces one for one, so every position in the component, and every compiler
// message's line and column, stays true without a source map; a text it would shorten (two spaces
// in a row before « : », which HTML shows as one anyway) stops the build with its place.
import { parse } from 'svelte/compiler';
import { frenchSpacing } from '../src/lib/utils/french-spacing.js';

const VERBATIM = new Set(['pre', 'code', 'kbd', 'samp', 'textarea', 'script', 'style']);

/**
 * The template's text nodes, in order, outside attribute values, expressions and verbatim elements.
 *
 * @param {unknown} node
 * @param {{ start: number, end: number, raw: string }[]} found
 * @returns {{ start: number, end: number, raw: string }[]}
 */
function textNodes(node, found = []) {
	if (!node || typeof node !== 'object') return found;
	const n = /** @type {Record<string, unknown>} */ (node);
	if (n.type === 'Text') {
		found.push(/** @type {{ start: number, end: number, raw: string }} */ (node));
		return found;
	}
	if (n.type === 'RegularElement' && VERBATIM.has(String(n.name))) return found;
	for (const [key, value] of Object.entries(n)) {
		if (key === 'nodes' && Array.isArray(value)) for (const child of value) textNodes(child, found);
		else if (
			value &&
			typeof value === 'object' &&
			/** @type {{ type?: unknown }} */ (value).type === 'Fragment'
		)
			textNodes(value, found);
	}
	return found;
}

/**
 * A component's source with French spacing in its markup's text.
 *
 * @param {string} source
 * @param {string} [filename]
 * @returns {string}
 */
export function spaceTemplateText(source, filename = 'composant') {
	const ast = parse(source, { modern: true, filename });
	let code = source;
	// From the end, so that earlier positions stay where the parser found them.
	for (const text of textNodes(ast.fragment).reverse()) {
		const spaced = frenchSpacing(text.raw);
		if (spaced === text.raw) continue;
		if (spaced.length !== text.raw.length) {
			const line = source.slice(0, text.start).split('\n').length;
			throw new Error(
				`${filename}, ligne ${line} : deux espaces de suite dans « ${text.raw.trim()} » ; n’en laissez qu’une.`
			);
		}
		code = code.slice(0, text.start) + spaced + code.slice(text.end);
	}
	return code;
}

/** @returns {import('svelte/compiler').PreprocessorGroup} */
export function frenchSpacingPreprocess() {
	return {
		name: 'sdusn-french-spacing',
		markup({ content, filename }) {
			const code = spaceTemplateText(content, filename);
			return code === content ? undefined : { code };
		}
	};
}
