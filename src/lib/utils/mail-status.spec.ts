import { describe, expect, it } from 'vitest';
import { mailStatusCount, mailStatusLabel } from './mail-status';

describe('the words of /admin/courriels for a message not sent', () => {
	it('counts the messages of a closed campaign among those not sent, not as dead links', () => {
		expect(mailStatusCount('cancelled', 2)).toMatch(/^2 non envoyés \(.*campagne close\)$/);
	});

	it('labels one such message « non envoyé » alone: its own reason is shown beside it', () => {
		expect(mailStatusLabel('cancelled')).toBe('non envoyé');
		expect(mailStatusLabel('sent')).toBe('remis au serveur de courrier');
	});
});
