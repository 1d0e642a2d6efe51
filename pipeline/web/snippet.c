/*
 * snippet.c - a search snippet read back against its sentence: which 【】
 * are the search's marks (web_int.h, bg_web_snippet_marks).
 *
 * Threading: none (pure). Offsets: byte offsets into the snippet.
 */
#include "web_int.h"

#include <stdlib.h>
#include <string.h>

#define MARK_OPEN "\xe3\x80\x90"  /* 【 */
#define MARK_CLOSE "\xe3\x80\x91" /* 】 */
#define ELLIPSIS "\xe2\x80\xa6"   /* … */

/* Steps of the walk before it gives up (a text of brackets could make it
 * try too many readings). */
#define SNIPPET_STEPS 200000

int bg_web_snippet_marks(const char *s, const char *t, size_t *marks,
                         size_t *nmarks)
{
    typedef struct frame {
        size_t i, j, nm; /* bytes of s and t read, marks so far */
        size_t jump;     /* the last place of t an ellipsis skipped to */
        int alt;         /* readings of the bracket tried */
    } frame;
    size_t sn = strlen(s), tn = strlen(t), n = 1, cap = 64;
    frame *st = malloc(cap * sizeof *st);
    int rc = -1;
    if (!st)
        return BG_ENOMEM;
    st[0] = (frame){0, 0, 0, 0, 0};
    for (size_t step = 0; n && step < SNIPPET_STEPS; step++) {
        frame *f = &st[n - 1], next = {0};
        size_t i = f->i, j = f->j, nm = f->nm;
        int in = nm % 2, have = 0;
        int ell = sn - i >= 3 && memcmp(s + i, ELLIPSIS, 3) == 0;
        if (f->alt == 0 && f->jump == 0 && !in &&
            (i == sn || (ell && sn - i == 3 && j < tn))) {
            *nmarks = nm;
            rc = 0;
            break;
        }
        int can_mark = sn - i >= 3 &&
                       memcmp(s + i, in ? MARK_CLOSE : MARK_OPEN, 3) == 0 &&
                       !(in && marks[nm - 1] + 3 == i); /* marks hold text */
        int can_text = i < sn && j < tn && s[i] == t[j];
        while (!have && f->alt < 2) {
            int mark = (f->alt++ == 0) == (in != 0);
            if (mark && can_mark) {
                marks[nm] = i;
                next = (frame){i + 3, j, nm + 1, 0, 0};
                have = 1;
            } else if (!mark && can_text) {
                next = (frame){i + 1, j + 1, nm, 0, 0};
                have = 1;
            }
        }
        if (!have && !in && ell && i + 3 < sn) {
            /* skip to the next place where the stretch's first character
             * (after its opening mark, if any) is written */
            size_t k = i + 3;
            if (sn - k >= 3 && memcmp(s + k, MARK_OPEN, 3) == 0)
                k += 3;
            for (size_t at = (f->jump ? f->jump : j) + 1; k < sn && at < tn;
                 at++)
                if ((t[at] == s[k] || t[at] == s[i + 3]) &&
                    ((unsigned char)t[at] & 0xc0) != 0x80) {
                    f->jump = at;
                    next = (frame){i + 3, at, nm, 0, 0};
                    have = 1;
                    break;
                }
        }
        if (!have) {
            n--;
            continue;
        }
        if (n == cap) {
            frame *bigger = realloc(st, 2 * cap * sizeof *st);
            if (!bigger) {
                rc = BG_ENOMEM;
                break;
            }
            st = bigger;
            cap *= 2;
        }
        st[n++] = next;
    }
    free(st);
    return rc;
}
