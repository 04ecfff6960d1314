import { describe, expect, it } from 'vitest';
import { currentLink } from './current-link';

describe('a menu link’s aria-current', () => {
	it('says « page » only on the page it leads to, « true » on a page below it', () => {
		expect(currentLink('/fiches', '/fiches')).toBe('page');
		expect(currentLink('/fiches/5-1', '/fiches')).toBe('true');
		expect(currentLink('/admin/bilans/3', '/admin')).toBe('true');
		expect(currentLink('/', '/')).toBe('page');
		expect(currentLink('/fiches', '/')).toBeUndefined();
		expect(currentLink('/bilans', '/fiches')).toBeUndefined();
	});

	it('takes a section as whole segments of the address', () => {
		expect(currentLink('/donnees-personnelles', '/donnees')).toBeUndefined();
		expect(currentLink('/donnees/plan.json', '/donnees')).toBe('true');
	});
});
