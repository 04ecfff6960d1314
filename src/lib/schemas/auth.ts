import { z } from 'zod';
import { INCOMPLETE_FORM, refuseMixedScriptWords, textField } from './form';
import { PASSWORD_MAX_LENGTH } from './limits';
import { WRONG_CURRENT_PASSWORD } from '../utils/vocabulary';

/**
 * What no part of an address holds: a space, « @ », or a character an address may hold only
 * between quotes, which mail servers refuse written plainly (« <script>@x.fr », « a,b@x.fr »).
 */
const EXCLUDED = '\\s@\\p{Cc}\\uFFFD\\u202A-\\u202E\\u2066-\\u2069<>()\\[\\]\\\\,;:"';
/**
 * The part before the « @ », then the domain: labels without dots joined by single dots, two at
 * least. Each character can be read one way only, so the time grows with the length whatever is
 * typed (when both sides of the domain's last dot could hold dots, a 200 KB address took 18 s to
 * refuse, the server answering nobody meanwhile).
 */
const ADDRESS = new RegExp(`^[^${EXCLUDED}]+@(?:[^${EXCLUDED}.]+\\.)+[^${EXCLUDED}.]+$`, 'u');

/**
 * « sandrine.martin@mairie-cahors »: an address the pattern refuses only because its domain has no
 * dot (« .fr » forgotten), or ends with one; one reading per character, as ADDRESS.
 */
const WITHOUT_TOP_LEVEL_DOMAIN = new RegExp(`^[^${EXCLUDED}]+@[^${EXCLUDED}.]+\\.?$`, 'u');

/** An e-mail address; `missing` is what an empty field is told (one's own, or someone else's). */
const emailField = (missing: string) =>
	z
		.string()
		.trim()
		.min(1, missing)
		.max(254, 'Cette adresse électronique est trop longue.')
		// No space, control character (NUL…), U+FFFD (bytes that were not UTF-8) or character
		// reversing the text after it (« …\u202Erf.tol@… » would read as another domain) in any part.
		.superRefine((value, ctx) => {
			if (ADDRESS.test(value)) return;
			ctx.addIssue({
				code: 'custom',
				message: WITHOUT_TOP_LEVEL_DOMAIN.test(value)
					? 'Il manque la fin de l’adresse après le nom de domaine, par exemple « .fr » (prenom.nom@exemple.fr).'
					: 'Cette adresse électronique n’est pas valide (exemple : prenom.nom@exemple.fr).'
			});
		});
const email = emailField('Indiquez votre adresse électronique.');

/**
 * Why a mail relay would refuse an address the pattern takes, or null. Kept apart from the pattern
 * so that an account made before these rules can still sign in: only the forms that lead to a mail
 * (a new account's invitation, « mot de passe oublié ») ask for them. The local part is what RFC
 * 5321 lets through without SMTPUTF8, which the relay is not asked for. A domain with accents is
 * refused rather than shown decoded: the browser sends it already in punycode (« xn--caf-dma »),
 * which every page, mail and export would otherwise show, or have to decode each.
 */
function undeliverableAddressProblem(address: string, { newAccount = true } = {}): string | null {
	if (!ADDRESS.test(address)) return null;
	const at = address.lastIndexOf('@');
	const local = address.slice(0, at);
	const domain = address.slice(at + 1);
	if (/[^\x21-\x7e]/.test(local))
		return 'La partie avant « @ » ne peut contenir que des lettres sans accent, des chiffres et des signes comme . _ - + : la plupart des serveurs de courrier refusent les autres caractères.';
	if (local.startsWith('.') || local.endsWith('.') || local.includes('..'))
		return 'La partie avant « @ » ne peut ni commencer ni finir par un point, ni en compter deux de suite : les serveurs de courrier refusent une telle adresse.';
	if (local.length > 64)
		return 'La partie avant « @ » compte au plus 64 caractères : les serveurs de courrier refusent une adresse plus longue.';
	// For a new account only: an account made before this rule, its domain in punycode, still
	// receives its reset link (the domain is deliverable; the rule is about showing it).
	if (newAccount && (/[^\x21-\x7e]/.test(domain) || /(^|\.)xn--/i.test(domain)))
		return 'Les noms de domaine accentués (après « @ ») ne sont pas acceptés : indiquez une adresse dont le domaine est écrit sans accent.';
	return hostNameProblem(domain);
}

/**
 * Why `domain` (two labels at least, as ADDRESS has it) is not a host name a relay delivers to, or
 * null: labels of letters, digits and inner hyphens, 1 to 63 characters each, the last not all
 * digits (an IP address written plainly). Accented letters pass here: the rule above decides on
 * them. Its total length needs no check: the address's 254 characters leave the domain 252.
 */
function hostNameProblem(domain: string): string | null {
	const labels = domain.split('.');
	if (/^\d+$/.test(labels.at(-1)!))
		return 'Après « @ », indiquez un nom de domaine qui finit par un nom comme « .fr », pas une adresse IP ni des chiffres : les serveurs de courrier refusent une telle adresse.';
	if (labels.some((label) => !/^[\p{L}\p{N}\p{M}-]+$/u.test(label)))
		return 'Le domaine (après « @ ») ne peut contenir que des lettres, des chiffres et des tirets, ses parties séparées par des points : les serveurs de courrier refusent les autres caractères (« _ », « ! »…).';
	if (labels.some((label) => label.startsWith('-') || label.endsWith('-')))
		return 'Les parties du domaine (après « @ », entre deux points) ne peuvent ni commencer ni finir par un tiret : les serveurs de courrier refusent une telle adresse.';
	if (labels.some((label) => [...label].length > 63))
		return 'Chaque partie du domaine (après « @ », entre deux points) compte au plus 63 caractères : les serveurs de courrier refusent une adresse plus longue.';
	return null;
}

/** An address a mail will be sent to: the pattern, and what mail relays refuse. */
const deliverableEmailField = (missing: string, options: { newAccount?: boolean } = {}) =>
	emailField(missing).superRefine((value, ctx) => {
		const message = undeliverableAddressProblem(value, options);
		if (message) ctx.addIssue({ code: 'custom', message });
	});

export const LoginSchema = z.object({
	email,
	password: z
		.string()
		.min(1, 'Indiquez votre mot de passe.')
		.max(PASSWORD_MAX_LENGTH, 'Adresse électronique ou mot de passe incorrect.')
});

export const PasswordChangeSchema = z
	.object({
		current: z
			.string()
			.min(1, 'Indiquez votre mot de passe actuel.')
			.max(PASSWORD_MAX_LENGTH, WRONG_CURRENT_PASSWORD),
		next: z.string().min(1, 'Choisissez un nouveau mot de passe.'),
		confirm: z.string()
	})
	.refine((v) => v.next === v.confirm, {
		path: ['confirm'],
		message: 'Les deux saisies du nouveau mot de passe ne correspondent pas.'
	});

export const InvitationSchema = z
	.object({ password: z.string().min(1, 'Choisissez un mot de passe.'), confirm: z.string() })
	.refine((v) => v.password === v.confirm, {
		path: ['confirm'],
		message: 'Les deux saisies du mot de passe ne correspondent pas.'
	});

/** The roles an account can be given, as the command line and the form send them. */
const ACCOUNT_ROLES = ['admin', 'commission', 'partenaire'] as const;

const role = z.enum(ACCOUNT_ROLES, {
	error: `Choisissez un rôle parmi : ${ACCOUNT_ROLES.join(', ')}.`
});

/** A partner belongs to an organisation: choosing one is asked of the form. */
const PARTNER_NEEDS_ORGANISATION = {
	path: ['organisation'],
	message: 'Un partenaire appartient à une organisation : choisissez-la.'
};

export const NewAccountSchema = z
	.object({
		email: deliverableEmailField('Indiquez l’adresse électronique de la personne.'),
		name: textField('Le nom', 120, {
			line: true,
			min: 2,
			missing: 'Indiquez le nom de la personne.'
		}).superRefine(refuseMixedScriptWords),
		role,
		organisation: z.string().trim().max(80)
	})
	.refine((v) => v.role !== 'partenaire' || v.organisation !== '', PARTNER_NEEDS_ORGANISATION)
	// Only a partner belongs to one (the accounts' CHECK): an organisation chosen for another role
	// is a mistake the person is told of, not one silently dropped.
	.refine((v) => v.role === 'partenaire' || v.organisation === '', {
		path: ['organisation'],
		message:
			'Seul un compte partenaire appartient à une organisation : laissez ce champ vide ou choisissez le rôle partenaire.'
	});

/**
 * « Changer le rôle » : the new role and organisation, and those the page showed (`current…`,
 * « aucune » for no organisation), which the change must still find in the database (two admins
 * on one account). The organisation select starts on the partner's own: for another role it is
 * left aside, not refused.
 */
export const RoleChangeSchema = z
	.object({
		role,
		organisation: z.string().trim().max(80),
		currentRole: z.enum(ACCOUNT_ROLES, {
			error: 'Rechargez la page : le rôle affiché n’a pas été transmis.'
		}),
		currentOrganisationId: z
			.string()
			.regex(
				/^(\d{1,9}|aucune)$/,
				'Rechargez la page : l’organisation affichée n’a pas été transmise.'
			)
			.transform((v) => (v === 'aucune' ? null : Number(v)))
	})
	.refine((v) => v.role !== 'partenaire' || v.organisation !== '', PARTNER_NEEDS_ORGANISATION)
	.transform((v) => (v.role === 'partenaire' ? v : { ...v, organisation: '' }));

/**
 * « Mot de passe oublié » : one field. An address no relay would take is refused beside it, as at
 * creation (but a domain in punycode, which older accounts may have): a rule of form that says
 * nothing of whether an account holds it.
 */
export const PasswordResetRequestSchema = z.object({
	email: deliverableEmailField('Indiquez votre adresse électronique.', { newAccount: false })
});

const checkbox = z.enum(['', 'on'], { error: 'Cochez ou décochez la case.' });

/** /compte: the notifications the person receives (unchecked boxes are not sent). */
/**
 * What the page showed of a box (`shown_reminders`…): « on » or « off »; absent (read as '' by
 * readForm), not known; anything else, a page that is not the portal's.
 */
const shownBox = z.enum(['', 'on', 'off'], { error: INCOMPLETE_FORM }).optional();

export const MailPreferencesSchema = z
	.object({
		reminders: checkbox,
		validations: checkbox,
		commission: checkbox,
		shown_reminders: shownBox,
		shown_validations: shownBox,
		shown_commission: shownBox
	})
	.transform((v) => ({
		preferences: {
			reminders: v.reminders === 'on',
			validations: v.validations === 'on',
			commission: v.commission === 'on'
		},
		// The boxes as the page showed them, so that a box left as it was does not undo a change
		// made meanwhile in another tab; null when the page did not say (every box is then taken).
		shown:
			v.shown_reminders && v.shown_validations && v.shown_commission
				? {
						reminders: v.shown_reminders === 'on',
						validations: v.shown_validations === 'on',
						commission: v.shown_commission === 'on'
					}
				: null
	}));
