/*
 * ident/social.c - accounts on messaging and social platforms:
 *   LINE ID        "abc123" (personal) or "@abc123" (official account), from
 *                  the ID or a line.me/ti/p/ link; lower case, 4-20 of a-z 0-9 . _ -
 *   Telegram       "handle" (shown "@handle"), from @handle or a t.me link;
 *                  5-32 of a-z 0-9 _, starting with a letter
 *   social profile "facebook:<username>" (dots dropped: Facebook ignores them),
 *                  "facebook:<numeric id>", "instagram:<username>", from
 *                  profile URLs or those canonical forms
 */
#include "ident/internal.h"

#include <string.h>

#include "base/err.h"
#include "base/str.h"

#define NAME_MAX_LEN 64

/*
 * When s is a link to one of hosts (scheme optional; www., m., mbasic., web.
 * subdomains allowed), return what follows "host/", else NULL.
 */
static const char *after_host(const char *s, const char *const *hosts)
{
	static const char *const subs[] = { "www.", "m.", "mbasic.", "web.", "touch." };
	size_t n = ident_prefix_ci(s, "https://");

	s += n ? n : ident_prefix_ci(s, "http://");
	for (size_t i = 0; i < sizeof(subs) / sizeof(subs[0]); i++) {
		n = ident_prefix_ci(s, subs[i]);
		if (n) {
			s += n;
			break;
		}
	}
	for (; *hosts; hosts++) {
		n = ident_prefix_ci(s, *hosts);
		if (n && s[n] == '/')
			return s + n + 1;
	}
	return NULL;
}

/* Copy the first path segment of p into out (size bytes); returns its length. */
static size_t segment(const char *p, char *out, size_t size)
{
	size_t n = strcspn(p, "/?#");

	ident_fmt(out, size, "%.*s", (int)(n < size ? n : size - 1), p);
	return n;
}

static int check_name(const char *name, size_t min, size_t max, const char *allowed,
	const char *what, char *why)
{
	size_t n = strlen(name);

	if (n < min)
		return ident_why(why, "too short (a %s has at least %zu characters)", what, min);
	if (n > max)
		return ident_why(why, "too long (a %s has at most %zu characters)", what, max);
	for (size_t i = 0; i < n; i++) {
		char c = name[i];

		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || strchr(allowed, c))
			continue;
		if ((unsigned char)c >= 0x80)
			return ident_why(why, "non-ASCII character not allowed in a %s", what);
		return ident_why(why, "character '%c' not allowed in a %s", c, what);
	}
	return 0;
}

/* ---- LINE --------------------------------------------------------------- */

static const char *const line_hosts[] = { "line.me", NULL };

/* The ID named by a line.me/ti/p/ link (path after the host), or NULL. */
static const char *line_link_id(const char *path)
{
	size_t n = ident_prefix_ci(path, "R/");

	path += n;
	n = ident_prefix_ci(path, "ti/p/");
	if (!n)
		return NULL;
	path += n;
	if (*path == '~')
		path++;
	return path;
}

int ident_line_id_parse(struct ident *out, const char *s, char *why)
{
	char id[NAME_MAX_LEN];
	const char *p = after_host(s, line_hosts);
	size_t n;
	int ret;

	if (ident_prefix_ci(s, "lin.ee/") || strstr(s, "://lin.ee/"))
		return ident_why(why, "a lin.ee short link cannot be resolved offline");
	if (p) {
		p = line_link_id(p);
		if (!p)
			return ident_why(why, "a line.me link that names no ID");
	}
	n = ident_prefix_ci(p ? p : s, "%40");
	out->social.official = n || (p ? p : s)[0] == '@';
	if (p) {
		p += n ? n : out->social.official;
		n = segment(p, id, sizeof(id));
	} else {
		n = str_copy(id, sizeof(id), s + out->social.official);
	}
	if (n >= sizeof(id))
		return ident_why(why, "too long (a LINE ID has at most 20 characters)");
	str_lower(id);
	ret = check_name(id, 4, 20, "._-", "LINE ID", why);
	if (ret)
		return ret;
	ident_fmt(out->value, sizeof(out->value), "%s%s", out->social.official ? "@" : "", id);
	str_copy(out->display, sizeof(out->display), out->value);
	return 0;
}

/* ---- Telegram ----------------------------------------------------------- */

static const char *const telegram_hosts[] = { "t.me", "telegram.me", "telegram.dog", NULL };

static const char *telegram_name(const char *s, char *why)
{
	const char *p = after_host(s, telegram_hosts);
	size_t n = ident_prefix_ci(s, "tg://resolve?domain=");

	if (n)
		return s + n;
	if (!p)
		return s[0] == '@' ? s + 1 : s;
	if (ident_prefix_ci(p, "joinchat") || p[0] == '+') {
		ident_why(why, "an invite link, not a username");
		return NULL;
	}
	n = ident_prefix_ci(p, "s/");
	return p + n;
}

int ident_telegram_parse(struct ident *out, const char *s, char *why)
{
	char name[NAME_MAX_LEN];
	const char *p = telegram_name(s, why);
	size_t n;
	int ret;

	if (!p)
		return ERR_INVAL;
	if (p == s || p == s + 1)
		n = str_copy(name, sizeof(name), p);
	else
		n = segment(p, name, sizeof(name));
	if (n >= sizeof(name))
		return ident_why(why, "too long (a Telegram username has at most 32 characters)");
	str_lower(name);
	ret = check_name(name, 5, 32, "_", "Telegram username", why);
	if (ret)
		return ret;
	if (name[0] < 'a' || name[0] > 'z')
		return ident_why(why, "a Telegram username starts with a letter");
	if (name[strlen(name) - 1] == '_')
		return ident_why(why, "a Telegram username does not end with '_'");
	str_copy(out->value, sizeof(out->value), name);
	ident_fmt(out->display, sizeof(out->display), "@%s", name);
	return 0;
}

/* ---- Facebook and Instagram --------------------------------------------- */

static const char *const facebook_hosts[] = { "facebook.com", "fb.com", "fb.me", NULL };
static const char *const instagram_hosts[] = { "instagram.com", "instagr.am", NULL };

/* Path segments that are not profiles on either site. */
static const char *const not_profiles[] = { "groups", "events", "watch", "marketplace",
	"share", "sharer", "sharer.php", "story.php", "permalink.php", "photo.php", "photo",
	"photos", "login", "login.php", "help", "hashtag", "search", "messages", "reel", "reels",
	"p", "tv", "explore", "accounts", "direct", "posts", "gaming", "ads", "policies",
	"privacy", "settings", "home.php", "notifications", "friends", "video.php", NULL };

static bool is_not_profile(const char *seg)
{
	for (const char *const *p = not_profiles; *p; p++)
		if (strcmp(seg, *p) == 0)
			return true;
	return false;
}

/* The value of the query parameter "id" in p, copied into out; false when absent. */
static bool query_id(const char *p, char *out, size_t size)
{
	const char *q = strchr(p, '?');

	while (q) {
		q++;
		if (str_has_prefix(q, "id=")) {
			ident_fmt(out, size, "%.*s", (int)strcspn(q + 3, "&#"), q + 3);
			return true;
		}
		q = strchr(q, '&');
	}
	return false;
}

static int facebook_numeric(struct ident *out, const char *id, char *why)
{
	if (!ident_all_digits(id) || strlen(id) > 20)
		return ident_why(why, "a Facebook profile id is a number");
	out->social.numeric_id = true;
	ident_fmt(out->value, sizeof(out->value), "facebook:%s", id);
	ident_fmt(out->display, sizeof(out->display), "facebook.com/profile.php?id=%s", id);
	return 0;
}

static int facebook_name(struct ident *out, const char *name, char *why)
{
	char n[NAME_MAX_LEN + 8];
	int ret;

	if (ident_all_digits(name))
		return facebook_numeric(out, name, why);
	str_copy(n, sizeof(n), name);
	str_lower(n);
	ret = check_name(n, 1, 50, ".", "Facebook username", why);
	if (ret)
		return ret;
	ident_strip(n, ".");
	if (ident_all_digits(n))
		return ident_why(why, "a Facebook username has a letter");
	if (strlen(n) < 5)
		return ident_why(why, "too short (a Facebook username has at least 5 characters)");
	ident_fmt(out->value, sizeof(out->value), "facebook:%s", n);
	ident_fmt(out->display, sizeof(out->display), "facebook.com/%s", n);
	return 0;
}

static int facebook_path(struct ident *out, const char *path, char *why)
{
	char seg[NAME_MAX_LEN + 8], id[NAME_MAX_LEN + 8];
	size_t n = segment(path, seg, sizeof(seg));

	str_lower(seg);
	if (strcmp(seg, "profile.php") == 0) {
		if (!query_id(path, id, sizeof(id)))
			return ident_why(why, "profile.php without id=");
		return facebook_numeric(out, id, why);
	}
	if (strcmp(seg, "people") == 0 || strcmp(seg, "pages") == 0) {
		const char *p = path + n;

		p += *p == '/';
		p += strcspn(p, "/?#");
		p += *p == '/';
		segment(p, id, sizeof(id));
		return facebook_numeric(out, id, why);
	}
	if (!seg[0])
		return ident_why(why, "a link to no profile");
	if (is_not_profile(seg))
		return ident_why(why, "a Facebook '%s' link, not a profile", seg);
	if (n >= sizeof(seg))
		return ident_why(why, "too long for a Facebook username");
	return facebook_name(out, seg, why);
}

static int instagram_name(struct ident *out, const char *name, char *why)
{
	char n[NAME_MAX_LEN];
	int ret;

	if (strlen(name) >= sizeof(n))
		return ident_why(why, "too long (an Instagram username has at most 30 characters)");
	str_copy(n, sizeof(n), name);
	str_lower(n);
	ret = check_name(n, 1, 30, "._", "Instagram username", why);
	if (ret)
		return ret;
	ident_fmt(out->value, sizeof(out->value), "instagram:%s", n);
	ident_fmt(out->display, sizeof(out->display), "instagram.com/%s", n);
	return 0;
}

static int instagram_path(struct ident *out, const char *path, char *why)
{
	char seg[NAME_MAX_LEN];
	size_t n = segment(path, seg, sizeof(seg));

	str_lower(seg);
	if (strcmp(seg, "stories") == 0 && path[n] == '/')
		return instagram_path(out, path + n + 1, why);
	if (!seg[0])
		return ident_why(why, "a link to no profile");
	if (is_not_profile(seg))
		return ident_why(why, "an Instagram '%s' link, not a profile", seg);
	if (n >= sizeof(seg))
		return ident_why(why, "too long for an Instagram username");
	return instagram_name(out, seg, why);
}

int ident_social_profile_parse(struct ident *out, const char *s, char *why)
{
	const char *path;
	size_t n;

	n = ident_prefix_ci(s, "facebook:");
	if (n) {
		out->social.site = IDENT_SOCIAL_FACEBOOK;
		return facebook_name(out, s + n, why);
	}
	n = ident_prefix_ci(s, "instagram:");
	if (n) {
		out->social.site = IDENT_SOCIAL_INSTAGRAM;
		return instagram_name(out, s + n, why);
	}
	path = after_host(s, facebook_hosts);
	if (path) {
		out->social.site = IDENT_SOCIAL_FACEBOOK;
		return facebook_path(out, path, why);
	}
	path = after_host(s, instagram_hosts);
	if (path) {
		out->social.site = IDENT_SOCIAL_INSTAGRAM;
		return instagram_path(out, path, why);
	}
	return ident_why(why, "not a Facebook or Instagram profile link");
}

bool ident_social_from_url(const struct ident *url, struct ident *out)
{
	static const enum ident_type kinds[] = { IDENT_SOCIAL_PROFILE, IDENT_TELEGRAM,
		IDENT_LINE_ID };
	static int (*const parsers[])(struct ident *, const char *, char *) = {
		ident_social_profile_parse, ident_telegram_parse, ident_line_id_parse };
	static const char *const *const hosts[] = { NULL, telegram_hosts, line_hosts };
	char why[IDENT_WHY_SIZE];

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		if (hosts[i] && !after_host(url->value, hosts[i]))
			continue;
		memset(out, 0, sizeof(*out));
		out->type = kinds[i];
		if (parsers[i](out, url->value, why) == 0)
			return true;
	}
	return false;
}
