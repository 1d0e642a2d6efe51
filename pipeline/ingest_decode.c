/*
 * ingest_decode.c - encoding detection and decoding with ICU (ucsdet to
 * propose, ucnv to convert), binary refusal.
 *
 * Threading: the common-character table is built once (pthread_once);
 * everything else is per call.
 * Offsets: byte offsets into the file's bytes (error messages).
 */
#include "ingest_int.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unicode/ucnv.h>
#include <unicode/ucsdet.h>
#include <unicode/ustring.h>

/* ---- the common-character table ----------------------------------------
 * One bit per code point of U+4E00..U+9FFF: set for the characters of
 * GB2312 (levels 1 and 2, rows 16-87) and Big5 level 1 (A440-C67E), found
 * by decoding every code of those ranges with ICU's own converters. */
#define CJK_LO 0x4E00
#define CJK_HI 0xA000
static unsigned char common_bits[(CJK_HI - CJK_LO) / 8];
static pthread_once_t common_once = PTHREAD_ONCE_INIT;

static void mark_range(const char *conv, int lead_lo, int lead_hi, int trail_lo,
                       int trail_hi, unsigned stop)
{
    UErrorCode st = U_ZERO_ERROR;
    UConverter *c = ucnv_open(conv, &st);
    if (U_FAILURE(st))
        return; /* the table stays partial: detection degrades, no crash */
    for (int a = lead_lo; a <= lead_hi; a++)
        for (int b = trail_lo; b <= trail_hi; b++) {
            if (((unsigned)a << 8 | (unsigned)b) > stop)
                break;
            char in[2] = {(char)a, (char)b};
            UChar u[4];
            st = U_ZERO_ERROR;
            int32_t n = ucnv_toUChars(c, u, 4, in, 2, &st);
            if (U_SUCCESS(st) && n == 1 && u[0] >= CJK_LO && u[0] < CJK_HI)
                common_bits[(u[0] - CJK_LO) >> 3] |=
                    (unsigned char)(1u << ((u[0] - CJK_LO) & 7));
        }
    ucnv_close(c);
}

static void build_common(void)
{
    mark_range("EUC-CN", 0xB0, 0xF7, 0xA1, 0xFE, 0xFFFF);
    mark_range("Big5", 0xA4, 0xC6, 0x40, 0x7E, 0xC67E);
    mark_range("Big5", 0xA4, 0xC5, 0xA1, 0xFE, 0xC67E);
}

static int is_common(UChar32 c)
{
    return c >= CJK_LO && c < CJK_HI &&
           (common_bits[(c - CJK_LO) >> 3] >> ((c - CJK_LO) & 7) & 1);
}

int bg_ingest_common_char(uint32_t cp)
{
    pthread_once(&common_once, build_common);
    return cp < 0x110000 && is_common((UChar32)cp);
}

/* ---- binary refusal ------------------------------------------------------ */

static const char *binary_kind(const unsigned char *b, size_t n)
{
    static const struct {
        const char *magic;
        size_t len;
        const char *name;
    } sigs[] = {
        {"\x89PNG\r\n\x1a\n", 8, "a PNG image"},
        {"\xFF\xD8\xFF", 3, "a JPEG image"},
        {"GIF8", 4, "a GIF image"},
        {"%PDF-", 5, "a PDF file"},
        {"PK\x03\x04", 4, "a ZIP archive (docx/xlsx are read by name)"},
        {"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8, "an OLE2 file (.doc/.xls)"},
        {"\x7F"
         "ELF",
         4, "an ELF binary"},
        {"\x1F\x8B", 2, "gzip data"},
        {"\xFD"
         "7zXZ",
         5, "xz data"},
    };
    for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++)
        if (n >= sigs[i].len && memcmp(b, sigs[i].magic, sigs[i].len) == 0)
            return sigs[i].name;
    return NULL;
}

/* ---- decoding ------------------------------------------------------------ */

typedef struct bad_bytes {
    const char *base;
    size_t count;     /* undecodable byte sequences */
    size_t first;     /* byte offset of the first */
    size_t first_len; /* its length */
    unsigned char first_bytes[8];
} bad_bytes;

/* Counts and places undecodable bytes, then substitutes U+FFFD. */
static void count_cb(const void *context, UConverterToUnicodeArgs *args,
                     const char *units, int32_t length,
                     UConverterCallbackReason reason, UErrorCode *st)
{
    /* ICU hands the context back const; it is this call's own counter */
    bad_bytes *bb = (bad_bytes *)(uintptr_t)context;
    if (reason <= UCNV_IRREGULAR) {
        /* args->source is past the bad units, which ICU holds in `units' */
        if (bb->count == 0) {
            size_t at = (size_t)(args->source - bb->base);
            bb->first = at >= (size_t)length ? at - (size_t)length : 0;
            bb->first_len = (size_t)length;
            memcpy(bb->first_bytes, units,
                   (size_t)length < sizeof bb->first_bytes
                       ? (size_t)length
                       : sizeof bb->first_bytes);
        }
        bb->count++;
    }
    UCNV_TO_U_CALLBACK_SUBSTITUTE(NULL, args, units, length, reason, st);
}

typedef struct decoded {
    UChar *u;
    int32_t ulen;
    bad_bytes bad;
    size_t cjk, common;
    size_t letters; /* non-ASCII characters other than punctuation */
} decoded;

static void decoded_free(decoded *d)
{
    free(d->u);
    memset(d, 0, sizeof *d);
}

/* Decodes in[0, n) with converter name into d. Returns 0, BG_EINVAL (no
 * such converter), BG_EICU, BG_ENOMEM; errors fill err. */
static int decode_with(const char *path, const char *name, const char *in,
                       size_t n, decoded *d, bg_err *err)
{
    UErrorCode st = U_ZERO_ERROR;
    memset(d, 0, sizeof *d);
    if (n > (size_t)INT32_MAX / 2)
        return bg_err_set(err, BG_EINVAL,
                          "%s: %zu bytes: too large to convert (ICU's limit "
                          "is 1 GiB)",
                          path, n);
    UConverter *c = ucnv_open(name, &st);
    if (U_FAILURE(st))
        return bg_err_set(err, BG_EINVAL, "%s: unknown encoding \"%s\" (%s)",
                          path, name, u_errorName(st));
    d->bad.base = in;
    ucnv_setToUCallBack(c, count_cb, &d->bad, NULL, NULL, &st);
    if (U_FAILURE(st)) {
        ucnv_close(c);
        return bg_err_set(err, BG_EICU, "%s: ucnv_setToUCallBack: %s", path,
                          u_errorName(st));
    }
    /* at most one UTF-16 unit per byte, plus room for a flush */
    size_t cap = n + 16;
    d->u = malloc(cap * sizeof *d->u);
    if (!d->u) {
        ucnv_close(c);
        return bg_err_set(err, BG_ENOMEM, "%s: out of memory", path);
    }
    UChar *t = d->u;
    const char *s = in;
    ucnv_toUnicode(c, &t, d->u + cap, &s, in + n, NULL, 1, &st);
    ucnv_close(c);
    if (U_FAILURE(st)) {
        decoded_free(d);
        return bg_err_set(err, BG_EICU, "%s: ucnv_toUnicode(%s): %s", path,
                          name, u_errorName(st));
    }
    d->ulen = (int32_t)(t - d->u);
    for (int32_t i = 0; i < d->ulen;) {
        /* U16_NEXT, without its int-to-unsigned conversions */
        uint32_t cp = d->u[i++];
        if ((cp & 0xFC00) == 0xD800 && i < d->ulen &&
            (d->u[i] & 0xFC00) == 0xDC00)
            cp = 0x10000 + ((cp - 0xD800) << 10) + (d->u[i++] - 0xDC00u);
        UChar32 ch = (UChar32)cp;
        if (ch >= 0x3400 && ch < 0xA000) {
            d->cjk++;
            d->common += (size_t)is_common(ch);
        }
        /* punctuation (general, CJK, full-width and half-width forms up to
         * U+FF65; not half-width kana or Hangul) and U+FFFD say
         * nothing about the script */
        if (ch >= 0x80 && ch != 0xFFFD && !(ch >= 0x2000 && ch < 0x2070) &&
            !(ch >= 0x3000 && ch < 0x3040) && !(ch >= 0xFF00 && ch < 0xFF66))
            d->letters++;
    }
    return 0;
}

/* UTF-16 to UTF-8, dropping a leading U+FEFF. */
static int to_utf8(const char *path, const decoded *d, char **out,
                   size_t *outlen, bg_err *err)
{
    UErrorCode st = U_ZERO_ERROR;
    const UChar *u = d->u;
    int32_t n = d->ulen, need;
    if (n && u[0] == 0xFEFF) {
        u++;
        n--;
    }
    u_strToUTF8WithSub(NULL, 0, &need, u, n, 0xFFFD, NULL, &st);
    if (st != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(st))
        return bg_err_set(err, BG_EICU, "%s: u_strToUTF8: %s", path,
                          u_errorName(st));
    char *o = malloc((size_t)need + 1);
    if (!o)
        return bg_err_set(err, BG_ENOMEM, "%s: out of memory", path);
    st = U_ZERO_ERROR;
    u_strToUTF8WithSub(o, need + 1, &need, u, n, 0xFFFD, NULL, &st);
    if (U_FAILURE(st)) {
        free(o);
        return bg_err_set(err, BG_EICU, "%s: u_strToUTF8: %s", path,
                          u_errorName(st));
    }
    o[need] = '\0';
    *out = o;
    *outlen = (size_t)need;
    return 0;
}

#define LOW_CONFIDENCE 80 /* below: a warning names the guess */

static int confidence_of(const decoded *d)
{
    if (d->cjk == 0)
        return 0;
    return (int)(100.0 * (double)d->common / (double)d->cjk + 0.5);
}

/* Is decoding d Chinese text? At least half of its letters (non-ASCII,
 * non-punctuation characters) are common CJK characters, or it has none
 * to judge by. Korean or Japanese mojibake of Chinese bytes (EUC-KR turns
 * GB18030 into Hangul) and Chinese mojibake of UTF-8 bytes are not. */
static int plausible(const decoded *d)
{
    return d->letters == 0 || d->common * 2 >= d->letters;
}

/* Is a better than b? A plausible decoding first; then fewer undecodable
 * sequences; then the larger share of common characters among CJK ones;
 * then more CJK characters (a decoding that yields Latin-1 letters from
 * Chinese bytes has none). Comparing undecodable counts alone let a
 * truncated last character of GB18030 text lose to clean EUC-KR Hangul, and
 * a few bad bytes in UTF-8 (each stray byte counting once) lose to
 * GB18030. */
static int better(const decoded *a, const decoded *b)
{
    if (plausible(a) != plausible(b))
        return plausible(a);
    if (a->bad.count != b->bad.count)
        return a->bad.count < b->bad.count;
    double sa = a->cjk ? (double)a->common / (double)a->cjk : 0,
           sb = b->cjk ? (double)b->common / (double)b->cjk : 0;
    if (sa != sb)
        return sa > sb;
    return a->cjk > b->cjk;
}

static int finish(bg_source *src, const char *name, decoded *d,
                  const bg_ingest_opts *o, char **out, size_t *outlen,
                  bg_err *err)
{
    if (d->bad.count && !(o && o->on_invalid_replace)) {
        char hex[32] = "";
        for (size_t k = 0; k < d->bad.first_len && k < 4; k++)
            snprintf(hex + strlen(hex), sizeof hex - strlen(hex), "%s%02X",
                     k ? " " : "", d->bad.first_bytes[k]);
        return bg_err_set(err, BG_EUTF8,
                          "%s: byte %zu (0x%s): not valid %s (%zu undecodable "
                          "sequence%s; --encoding NAME to choose another, "
                          "--on-invalid replace to ingest with U+FFFD)",
                          src->path, d->bad.first, hex, name, d->bad.count,
                          d->bad.count == 1 ? "" : "s");
    }
    if (d->bad.count) {
        src->ninvalid = d->bad.count;
        if (bg_ingest_warn(src,
                           "%zu undecodable byte sequence%s in %s replaced by "
                           "U+FFFD, the first at byte %zu",
                           d->bad.count, d->bad.count == 1 ? "" : "s", name,
                           d->bad.first))
            return bg_err_set(err, BG_ENOMEM, "%s: out of memory", src->path);
    }
    snprintf(src->encoding, sizeof src->encoding, "%s", name);
    src->derived = 1;
    return to_utf8(src->path, d, out, outlen, err);
}

/* Decodes file[0, n) as the named encoding (declared: by the caller, a
 * BOM or --encoding), confidence 100. */
static int decode_declared(bg_source *src, const char *name, const char *file,
                           size_t n, const bg_ingest_opts *o, char **out,
                           size_t *outlen, bg_err *err)
{
    decoded d = {0};
    int rc = decode_with(src->path, name, file, n, &d, err);
    if (rc)
        return rc;
    src->confidence = 100;
    rc = finish(src, name, &d, o, out, outlen, err);
    decoded_free(&d);
    return rc;
}

/* Refuses binary data (BG_ESKIP): a known binary format, or a NUL in the
 * first 8 KB; a NUL further on is damage, warned of. Returns 0, BG_ESKIP
 * or BG_ENOMEM. */
static int refuse_binary(bg_source *src, const char *file, size_t n,
                         bg_err *err)
{
    const char *bin = binary_kind((const unsigned char *)file, n);
    if (bin)
        return bg_err_set(err, BG_ESKIP,
                          "%s: skipped: binary data (%s), not text", src->path,
                          bin);
    const char *nul = memchr(file, 0, n < 8192 ? n : 8192);
    if (nul)
        return bg_err_set(err, BG_ESKIP,
                          "%s: skipped: binary data (NUL byte at %zu), not "
                          "text",
                          src->path, (size_t)(nul - file));
    if (n > 8192 && memchr(file + 8192, 0, n - 8192)) {
        /* past the first 8 KB a NUL is damage, not a binary file: it is
         * left out of the text's sentences (normalise.h), and said */
        size_t count = 0, first = n;
        for (const char *p = memchr(file, 0, n); p;
             p = memchr(p + 1, 0, n - (size_t)(p + 1 - file))) {
            if (!count++)
                first = (size_t)(p - file);
            if ((size_t)(p + 1 - file) >= n)
                break;
        }
        if (bg_ingest_warn(src,
                           "%zu NUL byte%s (the first at byte %zu): not text, "
                           "left out of the sentences",
                           count, count == 1 ? "" : "s", first))
            return bg_err_set(err, BG_ENOMEM, "%s: out of memory", src->path);
    }
    return 0;
}

/* What ICU's charset detector (ucsdet) makes of a file: its multi-byte
 * East Asian proposals (candidates to decode and compare), its best
 * single-byte proposal (ISO-8859-*, windows-125*, KOI8-R: any
 * bytes decode in them, so only the detector's confidence speaks for one)
 * and the best confidence it gives a Chinese or other CJK charset. The
 * names live as long as the detector. */
typedef struct detected {
    const char *names[9]; /* candidates: UTF-8, GB18030, Big5-HKSCS, ... */
    int nnames;
    const char *sbcs, *sbcs_lang; /* best single-byte match, or NULL */
    int sbcs_conf, cjk_conf;
} detected;

static int single_byte(const char *name)
{
    return strncmp(name, "ISO-8859-", 9) == 0 ||
           strncmp(name, "windows-12", 10) == 0 || strcmp(name, "KOI8-R") == 0;
}

/* Runs det over file[0, n) (the first MiB; for HTML with its input filter,
 * which leaves markup out of the statistics) into *d. */
static void detect(UCharsetDetector *det, const char *file, size_t n, int html,
                   detected *d)
{
    static const char *const cjk[] = {
        "GB18030", "Big5",        "Shift_JIS",   "EUC-JP",
        "EUC-KR",  "ISO-2022-CN", "ISO-2022-JP", "ISO-2022-KR"};
    UErrorCode st = U_ZERO_ERROR;
    ucsdet_enableInputFilter(det, html ? 1 : 0);
    ucsdet_setText(det, file, n > (1 << 20) ? (1 << 20) : (int32_t)n, &st);
    int32_t nm = 0;
    const UCharsetMatch **m = ucsdet_detectAll(det, &nm, &st);
    for (int32_t i = 0; U_SUCCESS(st) && i < nm; i++) {
        UErrorCode s2 = U_ZERO_ERROR;
        const char *name = ucsdet_getName(m[i], &s2);
        const char *lang = ucsdet_getLanguage(m[i], &s2);
        int conf = ucsdet_getConfidence(m[i], &s2), east = -1;
        if (U_FAILURE(s2))
            continue;
        for (size_t k = 0; k < sizeof cjk / sizeof *cjk; k++)
            if (strcmp(name, cjk[k]) == 0)
                east = (int)k;
        if (east >= 0 && conf > d->cjk_conf)
            d->cjk_conf = conf;
        /* GB18030 and Big5 are tried anyway (as Big5-HKSCS) */
        if (east >= 2 && conf >= 10 && d->nnames < 9)
            d->names[d->nnames++] = name;
        if (single_byte(name) && conf > d->sbcs_conf) {
            d->sbcs = name;
            d->sbcs_lang = lang ? lang : "";
            d->sbcs_conf = conf;
        }
    }
}

/* Whether most bytes >= 0x80 of file[0, n) (its first MiB) stand alone
 * between ASCII bytes, as accented letters do in a European single-byte
 * encoding (prépare, Größe); a GBK character is two such bytes together
 * (none stand alone), and in Big5 text under a fifth do (a trail byte may
 * be ASCII). 0 when there are fewer than 3. */
static int isolated_high_bytes(const char *file, size_t n)
{
    const unsigned char *b = (const unsigned char *)file;
    size_t high = 0, alone = 0;
    if (n > (1 << 20))
        n = 1 << 20;
    for (size_t i = 0; i < n; i++)
        if (b[i] >= 0x80) {
            high++;
            alone +=
                (i == 0 || b[i - 1] < 0x80) && (i + 1 == n || b[i + 1] < 0x80);
        }
    return high >= 3 && alone * 10 >= high * 6;
}

/* Whether name is an ICU converter of more than one byte a character
 * other than UTF-8 (GBK, GB2312, Big5, ...). */
static int multi_byte(const char *name)
{
    UErrorCode st = U_ZERO_ERROR;
    UConverter *c = ucnv_open(name, &st);
    int m = U_SUCCESS(st) && ucnv_getMaxCharSize(c) > 1 &&
            ucnv_getType(c) != UCNV_UTF8;
    ucnv_close(c);
    return m;
}

/* The charset an HTML file declares in its first 1024 bytes (<meta
 * charset=...>, or charset= in a http-equiv content), into name[0, cap);
 * 0 when none. */
static int html_declared(const char *file, size_t n, char *name, size_t cap)
{
    size_t m = n < 1024 ? n : 1024;
    for (size_t i = 0; i + 8 < m; i++) {
        if (strncasecmp(file + i, "charset", 7) != 0)
            continue;
        size_t j = i + 7;
        while (j < m && (file[j] == ' ' || file[j] == '\t'))
            j++;
        if (j >= m || file[j] != '=')
            continue;
        j++;
        while (j < m && (file[j] == ' ' || file[j] == '"' || file[j] == '\''))
            j++;
        size_t k = 0;
        while (j < m && k + 1 < cap &&
               (((file[j] | 0x20) >= 'a' && (file[j] | 0x20) <= 'z') ||
                (file[j] >= '0' && file[j] <= '9') || file[j] == '-' ||
                file[j] == '_' || file[j] == '.' || file[j] == ':'))
            name[k++] = file[j++];
        name[k] = '\0';
        if (k)
            return 1;
    }
    return 0;
}

int bg_ingest_decode(bg_source *src, const char *file, size_t n,
                     const bg_ingest_opts *o, char **out, size_t *outlen,
                     bg_err *err)
{
    const unsigned char *b = (const unsigned char *)file;
    decoded best = {0}, cand = {0};
    const char *best_name = NULL;
    int rc = 0;
    *out = NULL;
    pthread_once(&common_once, build_common);

    if (o && o->encoding && strcasecmp(o->encoding, "UTF-8") != 0 &&
        strcasecmp(o->encoding, "UTF8") != 0)
        return decode_declared(src, o->encoding, file, n, o, out, outlen, err);
    int forced_utf8 = o && o->encoding;
    const char *bom = NULL;
    if (n >= 4 && memcmp(b, "\xFF\xFE\0\0", 4) == 0)
        bom = "UTF-32LE"; /* before UTF-16LE, whose BOM begins it */
    else if (n >= 4 && memcmp(b, "\0\0\xFE\xFF", 4) == 0)
        bom = "UTF-32BE";
    else if (n >= 2 && b[0] == 0xFF && b[1] == 0xFE)
        bom = "UTF-16LE";
    else if (n >= 2 && b[0] == 0xFE && b[1] == 0xFF)
        bom = "UTF-16BE";
    if (bom && !forced_utf8)
        return decode_declared(src, bom, file, n, o, out, outlen, err);
    if ((rc = refuse_binary(src, file, n, err)))
        return rc;
    size_t ok = bg_utf8_valid_prefix(file, n);
    if (ok == n) {
        snprintf(src->encoding, sizeof src->encoding, "UTF-8");
        src->confidence = 100;
        *outlen = n;
        return 0; /* the caller keeps the file's bytes as the text */
    }
    if (forced_utf8 || (n >= 3 && memcmp(file, "\xEF\xBB\xBF", 3) == 0)) {
        /* declared UTF-8: invalid bytes are errors or U+FFFD, no guessing */
        return decode_declared(src, "UTF-8", file, n, o, out, outlen, err);
    }

    /* an HTML file's declared multi-byte charset, when its bytes decode in
     * it (a single-byte one decodes any bytes: no evidence, and Chinese
     * pages declared ISO-8859-1 exist) */
    char declared[40];
    if (src->format == BG_SRC_HTML &&
        html_declared(file, n, declared, sizeof declared) &&
        multi_byte(declared)) {
        bg_err e2;
        if (decode_with(src->path, declared, file, n, &cand, &e2) == 0 &&
            cand.bad.count == 0) {
            decoded_free(&cand);
            return decode_declared(src, declared, file, n, o, out, outlen, err);
        }
        decoded_free(&cand);
    }

    /* candidates: UTF-8 itself (a UTF-8 file with a few damaged bytes must
     * stay UTF-8, its damage reported where it is), the Chinese legacy
     * encodings, then ucsdet's proposals; the fewest undecodable bytes
     * wins */
    detected dt = {{"UTF-8", "GB18030", "Big5-HKSCS"}, 3, NULL, NULL, 0, 0};
    UErrorCode st = U_ZERO_ERROR;
    UCharsetDetector *det = ucsdet_open(&st);
    if (U_SUCCESS(st))
        detect(det, file, n, src->format == BG_SRC_HTML, &dt);
    const char *const *names = dt.names;
    int nnames = dt.nnames;
    for (int i = 0; i < nnames; i++) {
        bg_err e2;
        if (decode_with(src->path, names[i], file, n, &cand, &e2))
            continue;

        if (!best_name || better(&cand, &best)) {
            decoded_free(&best);
            best = cand;
            best_name = names[i];
            memset(&cand, 0, sizeof cand);
        } else {
            decoded_free(&cand);
        }
    }
    if (!best_name) {
        rc = bg_err_set(err, BG_EUTF8,
                        "%s: byte %zu (0x%02X): not valid UTF-8, and no "
                        "encoding fits",
                        src->path, ok, b[ok]);
        goto cleanup;
    }
    /* text in a single-byte European encoding (French in Latin-1, whose
     * accented letters before ASCII ones read as GBK characters): ICU's
     * detector rates that encoding at 50 or more and above every CJK one,
     * and its bytes >= 0x80 mostly stand alone (isolated_high_bytes).
     * Short Chinese text can lose ICU's vote (a 12-byte Big5 title scored
     * ISO-8859-1 33, GB18030 10), not both tests. The guess is warned of. */
    /* Cyrillic, Greek and other alphabets in a single-byte encoding
     * (KOI8-R, windows-1251, ISO-8859-7) write their letters as runs of
     * high bytes, which GB18030 half decodes: taken as such when ICU's
     * detector rates that charset at 30 or more and above every CJK one,
     * and no Chinese reading is clean (undecodable bytes, or mostly
     * uncommon characters: real Chinese text scores 95-100). Russian prose
     * rates 41 in KOI8-R or windows-1251, Greek 76 in ISO-8859-7. A UTF-8
     * file with a few damaged bytes stays UTF-8. */
    int alphabet = dt.sbcs && dt.sbcs_conf >= 30 &&
                   dt.sbcs_conf > dt.cjk_conf &&
                   strcmp(best_name, "UTF-8") != 0 &&
                   (best.bad.count > 0 || !plausible(&best) ||
                    confidence_of(&best) < LOW_CONFIDENCE);
    if (dt.sbcs && ((dt.sbcs_conf >= 50 && dt.sbcs_conf > dt.cjk_conf &&
                     isolated_high_bytes(file, n)) ||
                    alphabet)) {
        char name[48];
        snprintf(name, sizeof name, "%s", dt.sbcs);
        decoded_free(&best);
        if ((rc = decode_with(src->path, name, file, n, &best, err)))
            goto cleanup;
        src->confidence = dt.sbcs_conf;
        if (bg_ingest_warn(src,
                           "encoding %s (language %s) guessed by ICU's "
                           "charset detector with confidence %d of 100: not "
                           "Chinese text in GB18030 or Big5 (its best "
                           "Chinese reading scores %d; --encoding NAME to "
                           "choose one)",
                           name, *dt.sbcs_lang ? dt.sbcs_lang : "unknown",
                           dt.sbcs_conf, dt.cjk_conf)) {
            rc = bg_err_set(err, BG_ENOMEM, "%s: out of memory", src->path);
            goto cleanup;
        }
        rc = finish(src, name, &best, o, out, outlen, err);
        goto cleanup;
    }
    /* a legacy decoding without a single CJK character is no evidence:
     * report the first non-UTF-8 byte instead of guessing Latin-1 */
    if (best.cjk == 0 && !(o && o->on_invalid_replace)) {
        rc = bg_err_set(err, BG_EUTF8,
                        "%s: byte %zu (0x%02X): not valid UTF-8, and no "
                        "Chinese encoding fits (--encoding NAME to choose "
                        "one)",
                        src->path, ok, b[ok]);
        goto cleanup;
    }
    src->confidence = confidence_of(&best);
    /* real Chinese text in the right encoding scores 95-100; random or
     * non-Chinese bytes that happen to decode score far less */
    if (src->confidence < LOW_CONFIDENCE &&
        bg_ingest_warn(src,
                       "encoding %s guessed with confidence %d of 100 (the "
                       "share of common characters among its Chinese ones): "
                       "the file may not be Chinese text, or be in another "
                       "encoding (--encoding NAME to choose one)",
                       best_name, src->confidence)) {
        rc = bg_err_set(err, BG_ENOMEM, "%s: out of memory", src->path);
        goto cleanup;
    }
    {
        char name[48];
        snprintf(name, sizeof name, "%s", best_name);
        rc = finish(src, name, &best, o, out, outlen, err);
    }
cleanup:
    decoded_free(&best);
    decoded_free(&cand);
    ucsdet_close(det);
    return rc;
}
