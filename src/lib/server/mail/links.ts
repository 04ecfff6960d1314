/**
 * The pages a message's link leads to, by kind, as their routes are named (src/routes): the one
 * place their paths are written, built by linkPath and read back by readLink — a message's link
 * checked before sending (its one-time link, its unsubscription's category) is the one written.
 */
export const LINK_ROUTES = {
	invitation: '/invitation/[token]',
	passwordReset: '/mot-de-passe-oublie/[token]',
	unsubscribe: '/desabonnement/[token]/un-clic'
} as const;

export type LinkKind = keyof typeof LINK_ROUTES;

/** The path of the `kind` page for `token` (`/invitation/12.abc…`). */
export function linkPath(kind: LinkKind, token: string): string {
	return LINK_ROUTES[kind].replace('[token]', token);
}

const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const LINK_PATTERNS = (Object.keys(LINK_ROUTES) as LinkKind[]).map((kind) => {
	const [before, after] = LINK_ROUTES[kind].split('[token]') as [string, string];
	return { kind, pattern: new RegExp(`${escaped(before)}([^/?#]+)${escaped(after)}$`) };
});

/**
 * The kind and token of a link linkPath built, whole address (absoluteUrl) or path; null for any
 * other link.
 */
export function readLink(link: string): { kind: LinkKind; token: string } | null {
	const path = URL.canParse(link) ? new URL(link).pathname : link;
	for (const { kind, pattern } of LINK_PATTERNS) {
		const token = pattern.exec(path)?.[1];
		if (token !== undefined) return { kind, token };
	}
	return null;
}
