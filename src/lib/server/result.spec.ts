import { describe, expect, it } from 'vitest';
import { portalSources } from '../utils/source-testing';
import { INVALID_FORM_MESSAGE, invalidFields } from './result';

describe('a form refused field by field', () => {
	it('says so in one sentence, written once (result.ts), whichever service refuses it', () => {
		expect(invalidFields({ name: 'Indiquez le nom.' })).toEqual({
			ok: false,
			status: 400,
			message: INVALID_FORM_MESSAGE,
			fieldErrors: { name: 'Indiquez le nom.' }
		});
		const written = portalSources('src').filter(({ text }) =>
			text.includes(`'${INVALID_FORM_MESSAGE}'`)
		);
		expect(written.map(({ path }) => path)).toEqual(['src/lib/server/result.ts']);
	});
});

describe('a conflict’s field changes and stored version', () => {
	// Review #14: FieldChange was declared again, member by member, in five components and a
	// repository, and StoredVersion in the partner's form: a field added here would not reach them.
	it('are declared in result.ts alone, imported (as types) where they are shown', () => {
		const shapes = [
			/field: string;\s*label: string;\s*before: string;\s*after: string/,
			/version: number;\s*state: [^;]+;\s*updatedByName: string \| null/
		];
		const declared = portalSources('src')
			.filter(({ text }) => shapes.some((shape) => shape.test(text)))
			.map(({ path }) => path);
		expect(declared).toEqual(['src/lib/server/result.ts']);
	});
});
