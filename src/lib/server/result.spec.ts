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
