import { describe, expect, it } from 'vitest';
import { absoluteUrl, configureMail } from './outbox';

describe('mail settings', () => {
	it('gives back the settings it replaces, so that a test can put them back', () => {
		const before = absoluteUrl('/compte');
		const previous = configureMail({
			origin: 'https://autre.test',
			from: 'X <x@autre.test>',
			relayed: true
		});
		expect(absoluteUrl('/compte')).toBe('https://autre.test/compte');
		configureMail(previous);
		expect(absoluteUrl('/compte')).toBe(before);
	});
});
