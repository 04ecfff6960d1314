/**
 * A menu link's `aria-current`: `page` on the very page it leads to, `true` on a page below it
 * (its section: `/fiches/5-1` under « Fiches-actions »), nothing elsewhere. Saying `page` below
 * would tell a screen reader that the link leads where one already is (WCAG 1.3.1). A section
 * is a whole segment of the address: `/donnees-personnelles` is not below `/donnees`.
 */
export function currentLink(pathname: string, href: string): 'page' | 'true' | undefined {
	if (pathname === href) return 'page';
	if (href !== '/' && pathname.startsWith(`${href}/`)) return 'true';
	return undefined;
}
