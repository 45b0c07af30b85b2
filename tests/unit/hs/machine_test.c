/*
 * The handshake dispatcher and the state tables (src/hs/machine.c,
 * latch__client_table and latch__server_table):
 *
 *   - every edge is well formed and only names valid states;
 *   - every state is reachable from START, every reachable state can reach a
 *     connected state, and outside the connected states there is no cycle
 *     but the one HelloRetryRequest allows (handshakes terminate);
 *   - the TLS 1.3 edges equal a list written down here from RFC 8446
 *     Appendix A (quoted below), with our extra states;
 *   - docs/STATE-MACHINE.md holds the current rendering of the tables (DOT
 *     and an edge list), so it cannot drift;
 *   - through real connections, every handshake message type that has no
 *     edge in a state is refused there with LATCH_ERR_UNEXPECTED_MESSAGE and
 *     the unexpected_message alert (in TLS 1.2 also a ChangeCipherSpec where
 *     the state has no CCS edge), the real next message is accepted, and a
 *     message that must end its record and does not is refused with
 *     NOT_ON_RECORD_BOUNDARY.
 *
 *   test_unit_hs_machine --dot        print both tables as Graphviz DOT
 *   test_unit_hs_machine --markdown   print the generated part of docs/STATE-MACHINE.md
 */
#include "harness.h"
#include "tls.h"

#include "hs/hs.h"
#include "hs/keysched13.h"
#include "hs/states.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* ---- RFC 8446 Appendix A, and the list we derive from it ------------------------------
 *
 * A.1.  Client
 *
 *                               START <----+
 *                Send ClientHello |        | Recv HelloRetryRequest
 *           [K_send = early data] |        |
 *                                 v        |
 *            /                 WAIT_SH ----+
 *            |                    | Recv ServerHello
 *            |                    | K_recv = handshake
 *        Can |                    V
 *       send |                 WAIT_EE
 *      early |                    | Recv EncryptedExtensions
 *       data |           +--------+--------+
 *            |     Using |                 | Using certificate
 *            |       PSK |                 v
 *            |           |            WAIT_CERT_CR
 *            |           |        Recv |       | Recv CertificateRequest
 *            |           | Certificate |       v
 *            |           |             |    WAIT_CERT
 *            |           |             |       | Recv Certificate
 *            |           |             v       v
 *            |           |              WAIT_CV
 *            |           |                 | Recv CertificateVerify
 *            |           +> WAIT_FINISHED <+
 *            |                  | Recv Finished
 *            \                  | [Send EndOfEarlyData]
 *                               | K_send = handshake
 *                               | [Send Certificate [+ CertificateVerify]]
 *     Can send                  | Send Finished
 *     app data   -->            | K_send = K_recv = application
 *     after here                v
 *                           CONNECTED
 *
 * A.2.  Server
 *
 *                               START <-----+
 *                Recv ClientHello |         | Send HelloRetryRequest
 *                                 v         |
 *                              RECVD_CH ----+
 *                                 | Select parameters
 *                                 v
 *                              NEGOTIATED
 *                                 | Send ServerHello
 *                                 | K_send = handshake
 *                                 | Send EncryptedExtensions
 *                                 | [Send CertificateRequest]
 *  Can send                       | [Send Certificate + CertificateVerify]
 *  app data                       | Send Finished
 *  after   -->                    | K_send = application
 *  here                  +--------+--------+
 *               No 0-RTT |                 | 0-RTT
 *                        |                 |
 *    K_recv = handshake  |                 | K_recv = early data
 *  [Skip decrypt errors] |    +------> WAIT_EOED -+
 *                        |    |       Recv |      | Recv EndOfEarlyData
 *                        |    | early data |      | K_recv = handshake
 *                        |    +------------+      |
 *                        |                        |
 *                        +> WAIT_FLIGHT2 <--------+
 *                                 |
 *                        +--------+--------+
 *                No auth |                 | Client auth
 *                        |                 |
 *                        |                 v
 *                        |             WAIT_CERT
 *                        |        Recv |       | Recv Certificate
 *                        |       empty |       v
 *                        | Certificate |    WAIT_CV
 *                        |             |       | Recv
 *                        |             v       | CertificateVerify
 *                        +-> WAIT_FINISHED <---+
 *                                 | Recv Finished
 *                                 | K_recv = application
 *                                 v
 *                             CONNECTED
 *
 * How latch maps these (the tables only have states where a message is
 * awaited):
 *   - Client: "Send ClientHello" is not a received message: START -> WAIT_SH
 *     happens when the ClientHello is built (first output). "Recv
 *     HelloRetryRequest" goes back through START and sends ClientHello2 in
 *     the same handler, so it is WAIT_SH -> WAIT_SH.
 *   - Server: RECVD_CH, NEGOTIATED and WAIT_FLIGHT2 await nothing; the
 *     ClientHello handler passes through them and lands in WAIT_EOED,
 *     WAIT_CERT or WAIT_FINISHED. "Send HelloRetryRequest" back to START
 *     waits for the second ClientHello in S13_WAIT_CH2 (one retry only:
 *     RFC 8446 §4.1.4 "If a client receives a second HelloRetryRequest in
 *     the same connection ... it MUST abort"), which cannot lead to WAIT_EOED
 *     (§4.2.10: "A client MUST NOT include the "early_data" extension in its
 *     followup ClientHello").
 *   - WAIT_EOED -> WAIT_FLIGHT2 -> WAIT_CERT is impossible: 0-RTT needs a PSK,
 *     and §4.3.2: "Servers which are authenticating with a PSK MUST NOT send
 *     the CertificateRequest message in the main handshake".
 *   - After the handshake (§4.6): a client receives NewSessionTicket
 *     (§4.6.1), KeyUpdate (§4.6.3) and CertificateRequest (§4.6.2,
 *     post-handshake authentication, answered in the same handler); a server
 *     receives KeyUpdate, and after latch_conn_request_client_cert the
 *     client's Certificate, CertificateVerify and Finished in S13_PHA_*
 *     ("the client MUST send Certificate, CertificateVerify, and Finished
 *     messages"; an empty Certificate skips CertificateVerify). A KeyUpdate
 *     the client sent before it saw the request may still arrive in
 *     PHA_WAIT_CERT.
 *
 * Edge flags, from the RFC:
 *   - END_OF_RECORD: §5.1 "Because the ClientHello, EndOfEarlyData,
 *     ServerHello, Finished, and KeyUpdate messages can immediately precede
 *     a key change, implementations MUST send these messages in alignment
 *     with a record boundary" (the receiver checks). A post-handshake Finished
 *     changes no key. The client's ServerHello edge does not carry the flag:
 *     its key change is checked where the keys are installed
 *     (latch__conn_set_keys13 refuses pending handshake bytes; tested below).
 *   - PRIOR_HASH: §4.4.3 and §4.4.4: CertificateVerify and Finished cover
 *     the transcript up to, not including, themselves.
 *   - OWN_TRANSCRIPT: the hellos (a HelloRetryRequest replaces ClientHello1
 *     by message_hash, §4.4.1; the ClientHello's binders are checked on a
 *     truncated transcript, §4.2.11.2).
 *   - NO_TRANSCRIPT: post-handshake messages are not part of the handshake
 *     transcript (§4.4.1 "Handshake Context"; post-handshake authentication
 *     keeps its own, §4.4).
 */

#define HS LATCH_CT_HANDSHAKE
#define S(x) LATCH_S(x)
#define EOR LATCH_HSF_END_OF_RECORD
#define OWN LATCH_HSF_OWN_TRANSCRIPT
#define NOT LATCH_HSF_NO_TRANSCRIPT
#define PRIOR LATCH_HSF_PRIOR_HASH

typedef struct rfc_edge {
    uint8_t state, ct, type;
    uint64_t next;
    uint8_t flags;
} rfc_edge;

static const rfc_edge rfc_client[] = {
    {C_WAIT_SH, HS, LATCH_HS_SERVER_HELLO, S(C13_WAIT_EE) | S(C_WAIT_SH), OWN},
    {C13_WAIT_EE, HS, LATCH_HS_ENCRYPTED_EXTENSIONS, S(C13_WAIT_CERT_CR) | S(C13_WAIT_FINISHED), 0},
    {C13_WAIT_CERT_CR, HS, LATCH_HS_CERTIFICATE_REQUEST, S(C13_WAIT_CERT), 0},
    {C13_WAIT_CERT_CR, HS, LATCH_HS_CERTIFICATE, S(C13_WAIT_CV), 0},
    {C13_WAIT_CERT, HS, LATCH_HS_CERTIFICATE, S(C13_WAIT_CV), 0},
    {C13_WAIT_CV, HS, LATCH_HS_CERTIFICATE_VERIFY, S(C13_WAIT_FINISHED), PRIOR},
    {C13_WAIT_FINISHED, HS, LATCH_HS_FINISHED, S(C13_CONNECTED), PRIOR | EOR},
    {C13_CONNECTED, HS, LATCH_HS_NEW_SESSION_TICKET, S(C13_CONNECTED), NOT},
    {C13_CONNECTED, HS, LATCH_HS_KEY_UPDATE, S(C13_CONNECTED), NOT | EOR},
    {C13_CONNECTED, HS, LATCH_HS_CERTIFICATE_REQUEST, S(C13_CONNECTED), NOT},
};

static const rfc_edge rfc_server[] = {
    {S_START, HS, LATCH_HS_CLIENT_HELLO,
     S(S13_WAIT_CH2) | S(S13_WAIT_EOED) | S(S13_WAIT_CERT) | S(S13_WAIT_FINISHED), OWN | EOR},
    {S13_WAIT_CH2, HS, LATCH_HS_CLIENT_HELLO, S(S13_WAIT_CERT) | S(S13_WAIT_FINISHED), OWN | EOR},
    {S13_WAIT_EOED, HS, LATCH_HS_END_OF_EARLY_DATA, S(S13_WAIT_FINISHED), EOR},
    {S13_WAIT_CERT, HS, LATCH_HS_CERTIFICATE, S(S13_WAIT_CV) | S(S13_WAIT_FINISHED), 0},
    {S13_WAIT_CV, HS, LATCH_HS_CERTIFICATE_VERIFY, S(S13_WAIT_FINISHED), PRIOR},
    {S13_WAIT_FINISHED, HS, LATCH_HS_FINISHED, S(S13_CONNECTED), PRIOR | EOR},
    {S13_CONNECTED, HS, LATCH_HS_KEY_UPDATE, S(S13_CONNECTED), NOT | EOR},
    {S13_PHA_WAIT_CERT, HS, LATCH_HS_CERTIFICATE, S(S13_PHA_WAIT_CV) | S(S13_PHA_WAIT_FINISHED), NOT},
    {S13_PHA_WAIT_CV, HS, LATCH_HS_CERTIFICATE_VERIFY, S(S13_PHA_WAIT_FINISHED), NOT},
    {S13_PHA_WAIT_FINISHED, HS, LATCH_HS_FINISHED, S(S13_CONNECTED), NOT},
    {S13_PHA_WAIT_CERT, HS, LATCH_HS_KEY_UPDATE, S(S13_PHA_WAIT_CERT), NOT | EOR},
};

/* Transitions made by the application or by building the first flight, not
 * by a received message (the tables cannot show them). */
typedef struct api_edge {
    uint8_t from, to;
    const char *what;
} api_edge;

static const api_edge client_api[] = {
    {C_START, C_WAIT_SH, "send ClientHello (first output)"},
};
static const api_edge server_api[] = {
    {S13_CONNECTED, S13_PHA_WAIT_CERT, "send CertificateRequest (latch_conn_request_client_cert)"},
};

/* Non-connected self-loops that the handlers bound: a second
 * HelloRetryRequest is refused (client_test.c, test_hrr_checks). */
static const uint8_t client_bounded_loops[] = {C_WAIT_SH};

typedef struct role {
    const latch_hs_table *t;
    const rfc_edge *rfc;
    size_t n_rfc;
    const api_edge *api;
    size_t n_api;
    const uint8_t *loops;
    size_t n_loops;
    uint8_t start;
    uint64_t states13; /* the TLS 1.3 (and shared hello) states */
} role;

static const role roles[] = {
    {&latch__client_table, rfc_client, N(rfc_client), client_api, N(client_api), client_bounded_loops,
     N(client_bounded_loops), C_START, S(C12_WAIT_CERT) - 1},
    {&latch__server_table, rfc_server, N(rfc_server), server_api, N(server_api), NULL, 0, S_START,
     S(S12_WAIT_CERT) - 1},
};

/* Edge i of a table, TLS 1.3 list first, then the TLS 1.2 list. */
static size_t n_all(const latch_hs_table *t)
{
    return t->n_edges + t->n_edges12;
}

static const latch_hs_edge *edge_at(const latch_hs_table *t, size_t i)
{
    return i < t->n_edges ? &t->edges[i] : &t->edges12[i - t->n_edges];
}

static bool has_edge(const latch_hs_table *t, uint8_t state, uint8_t ct, uint8_t type)
{
    for (size_t i = 0; i < n_all(t); i++) {
        const latch_hs_edge *e = edge_at(t, i);

        if (e->state == state && e->content_type == ct && (ct != HS || e->hs_type == type)) {
            return true;
        }
    }
    return false;
}

/* ---- Structure ---------------------------------------------------------------------------- */

static void test_edges_well_formed(void)
{
    for (size_t r = 0; r < N(roles); r++) {
        const latch_hs_table *t = roles[r].t;
        uint64_t all = t->n_states >= 64 ? ~UINT64_C(0) : (UINT64_C(1) << t->n_states) - 1;

        CHECK(t->n_states > 1 && t->n_states <= 64);
        CHECK(t->edges != NULL && t->n_edges > 0);
        CHECK(t->n_edges12 == 0 || t->edges12 != NULL);
        CHECK(t->connected != 0 && (t->connected & ~all) == 0);
        CHECK(t->required_proofs13 == (LATCH_PROOF_CERT | LATCH_PROOF_CV | LATCH_PROOF_FIN));
        CHECK((t->connected & LATCH_S(roles[r].start)) == 0);
        for (size_t s = 0; s < t->n_states; s++) {
            CHECK(t->state_names[s] != NULL && t->state_names[s][0] != '\0');
            for (size_t s2 = 0; s2 < s; s2++) {
                CHECK(strcmp(t->state_names[s], t->state_names[s2]) != 0);
            }
        }
        for (size_t i = 0; i < n_all(t); i++) {
            const latch_hs_edge *e = edge_at(t, i);

            if (e->state >= t->n_states || e->next == 0 || (e->next & ~all) != 0) {
                latch_test_fail(__FILE__, __LINE__, "%s edge %zu: state %u, next 0x%llx outside %zu states", t->role, i,
                                e->state, (unsigned long long)e->next, t->n_states);
            }
            CHECK(e->handler != NULL);
            CHECK(e->content_type == LATCH_CT_HANDSHAKE || e->content_type == LATCH_CT_CHANGE_CIPHER_SPEC);
            CHECK((e->flags & ~(EOR | OWN | NOT | PRIOR)) == 0);
            /* A message is in the transcript one way only. */
            CHECK(!((e->flags & OWN) && (e->flags & (NOT | PRIOR))));
            /* Only CertificateVerify and Finished sign or MAC the transcript before them. */
            if (e->flags & PRIOR) {
                CHECK(e->hs_type == LATCH_HS_CERTIFICATE_VERIFY || e->hs_type == LATCH_HS_FINISHED);
            }
            /* No two edges for one (state, message): the second would never be taken. */
            for (size_t j = 0; j < i; j++) {
                const latch_hs_edge *d = edge_at(t, j);

                if (d->state == e->state && d->content_type == e->content_type &&
                    (e->content_type != HS || d->hs_type == e->hs_type)) {
                    latch_test_fail(__FILE__, __LINE__, "%s: edges %zu and %zu overlap", t->role, j, i);
                }
            }
        }
    }
    CHECK(strcmp(latch__client_table.role, "client") == 0);
    CHECK(strcmp(latch__server_table.role, "server") == 0);
}

/* §5.1: messages that can precede a key change must end their record. */
static void test_end_of_record_flags(void)
{
    for (size_t r = 0; r < N(roles); r++) {
        const latch_hs_table *t = roles[r].t;

        for (size_t i = 0; i < t->n_edges; i++) {
            const latch_hs_edge *e = &t->edges[i];
            bool key_change = e->hs_type == LATCH_HS_CLIENT_HELLO || e->hs_type == LATCH_HS_END_OF_EARLY_DATA ||
                              e->hs_type == LATCH_HS_KEY_UPDATE ||
                              (e->hs_type == LATCH_HS_FINISHED && !(e->flags & NOT));

            if (key_change && !(e->flags & EOR)) {
                latch_test_fail(__FILE__, __LINE__, "%s: %s in %s does not have to end its record", t->role,
                                latch_hs_name(e->hs_type), t->state_names[e->state]);
            }
        }
    }
}

/* ---- Reachability and termination -------------------------------------------------------------- */

/* succ[s]: the states one step from s (table edges of both versions and API transitions). */
static void successors(const role *ro, uint64_t *succ)
{
    const latch_hs_table *t = ro->t;

    memset(succ, 0, sizeof(uint64_t) * t->n_states);
    for (size_t i = 0; i < n_all(t); i++) {
        succ[edge_at(t, i)->state] |= edge_at(t, i)->next;
    }
    for (size_t i = 0; i < ro->n_api; i++) {
        succ[ro->api[i].from] |= LATCH_S(ro->api[i].to);
    }
}

/* Depth-first search for a cycle among non-connected states (colour: 0 new, 1 on stack, 2 done). */
static bool cycle_from(const role *ro, const uint64_t *succ, uint8_t s, uint8_t *colour, char *path, size_t cap)
{
    const latch_hs_table *t = ro->t;

    colour[s] = 1;
    for (uint8_t n = 0; n < t->n_states; n++) {
        bool bounded = false;

        if (!(succ[s] & LATCH_S(n)) || (t->connected & LATCH_S(n))) {
            continue;
        }
        for (size_t i = 0; i < ro->n_loops; i++) {
            bounded |= n == s && ro->loops[i] == s;
        }
        if (bounded) {
            continue;
        }
        if (colour[n] == 1 || (colour[n] == 0 && cycle_from(ro, succ, n, colour, path, cap))) {
            size_t len = strlen(path);

            snprintf(path + len, cap - len, " %s", t->state_names[s]);
            return true;
        }
    }
    colour[s] = 2;
    return false;
}

static void test_reachable_and_terminating(void)
{
    for (size_t r = 0; r < N(roles); r++) {
        const role *ro = &roles[r];
        const latch_hs_table *t = ro->t;
        uint64_t succ[64], reach, co;
        uint8_t colour[64];
        char path[512] = "";

        successors(ro, succ);
        /* Forward from START. */
        reach = LATCH_S(ro->start);
        for (bool grew = true; grew;) {
            uint64_t before = reach;

            for (size_t s = 0; s < t->n_states; s++) {
                if (reach & LATCH_S(s)) {
                    reach |= succ[s];
                }
            }
            grew = reach != before;
        }
        /* Backward from the connected states. */
        co = t->connected;
        for (bool grew = true; grew;) {
            uint64_t before = co;

            for (size_t s = 0; s < t->n_states; s++) {
                if (succ[s] & co) {
                    co |= LATCH_S(s);
                }
            }
            grew = co != before;
        }
        for (size_t s = 0; s < t->n_states; s++) {
            if (!(reach & LATCH_S(s))) {
                latch_test_fail(__FILE__, __LINE__, "%s: %s cannot be reached from %s", t->role, t->state_names[s],
                                t->state_names[ro->start]);
            }
            if (!(co & LATCH_S(s))) {
                latch_test_fail(__FILE__, __LINE__, "%s: no path from %s to a connected state", t->role,
                                t->state_names[s]);
            }
        }
        /* Outside the connected states, every path moves on (bounded retries aside). */
        memset(colour, 0, sizeof colour);
        for (uint8_t s = 0; s < t->n_states; s++) {
            if (!(t->connected & LATCH_S(s)) && colour[s] == 0 && cycle_from(ro, succ, s, colour, path, sizeof path)) {
                latch_test_fail(__FILE__, __LINE__, "%s: the handshake can loop through%s", t->role, path);
                break;
            }
        }
    }
}

/* The checks above catch what they claim: a table with an unreachable state,
 * a dead end and a loop. */
static latch_err dummy_handler(latch_conn *c, const latch_hs_msg *m, uint8_t *next)
{
    (void)c;
    (void)m;
    *next = 0;
    return LATCH_OK;
}

static void test_checks_catch_bad_tables(void)
{
    static const char *const names[] = {"START", "A", "B", "C", "DONE"};
    static const latch_hs_edge bad[] = {
        {0, HS, 1, dummy_handler, S(1), 0}, /* START -> A */
        {1, HS, 2, dummy_handler, S(2), 0}, /* A -> B */
        {2, HS, 3, dummy_handler, S(1), 0}, /* B -> A: a loop, and no way to DONE */
    };
    const latch_hs_table t = {"bad", bad, N(bad), NULL, 0, names, N(names), S(4), 0};
    const role ro = {&t, NULL, 0, NULL, 0, NULL, 0, 0, ~(uint64_t)0};
    uint64_t succ[5];
    uint8_t colour[5] = {0};
    char path[128] = "";

    successors(&ro, succ);
    CHECK(succ[0] == S(1) && succ[1] == S(2) && succ[2] == S(1) && succ[3] == 0);
    CHECK(cycle_from(&ro, succ, 0, colour, path, sizeof path));
    CHECK(strstr(path, "A") != NULL && strstr(path, "B") != NULL);
}

/* ---- The TLS 1.3 edges against the RFC ---------------------------------------------------------------- */

static void test_edges_match_rfc(void)
{
    for (size_t r = 0; r < N(roles); r++) {
        const role *ro = &roles[r];
        const latch_hs_table *t = ro->t;

        /* Each RFC edge is in the table, with the same next states and flags ... */
        for (size_t i = 0; i < ro->n_rfc; i++) {
            const rfc_edge *w = &ro->rfc[i];
            const latch_hs_edge *got = NULL;

            for (size_t j = 0; j < t->n_edges; j++) {
                if (t->edges[j].state == w->state && t->edges[j].content_type == w->ct &&
                    t->edges[j].hs_type == w->type) {
                    got = &t->edges[j];
                }
            }
            if (got == NULL) {
                latch_test_fail(__FILE__, __LINE__, "%s: no edge for %s in %s", t->role, latch_hs_name(w->type),
                                t->state_names[w->state]);
                continue;
            }
            /* The hello edges also lead into TLS 1.2 states; compare the 1.3 part. */
            if ((got->next & ro->states13) != w->next || got->flags != w->flags) {
                latch_test_fail(__FILE__, __LINE__, "%s: %s in %s: next 0x%llx flags 0x%x, RFC list 0x%llx 0x%x", t->role,
                                latch_hs_name(w->type), t->state_names[w->state], (unsigned long long)got->next,
                                got->flags, (unsigned long long)w->next, w->flags);
            }
        }
        /* ... and the table has nothing else. */
        for (size_t j = 0; j < t->n_edges; j++) {
            bool listed = false;

            for (size_t i = 0; i < ro->n_rfc; i++) {
                listed |= t->edges[j].state == ro->rfc[i].state && t->edges[j].content_type == ro->rfc[i].ct &&
                          t->edges[j].hs_type == ro->rfc[i].type;
            }
            if (!listed) {
                latch_test_fail(__FILE__, __LINE__, "%s: edge %s in %s is not in RFC 8446's diagram", t->role,
                                latch_hs_name(t->edges[j].hs_type), t->state_names[t->edges[j].state]);
            }
        }
        CHECK_EQ(t->n_edges, ro->n_rfc);
    }
    /* The state names are RFC 8446 Appendix A's. */
    CHECK(strcmp(latch__client_table.state_names[C13_WAIT_CERT_CR], "WAIT_CERT_CR") == 0);
    CHECK(strcmp(latch__server_table.state_names[S13_WAIT_EOED], "WAIT_EOED") == 0);
    CHECK_EQ(latch__client_table.connected & roles[0].states13, S(C13_CONNECTED));
    CHECK_EQ(latch__server_table.connected & roles[1].states13,
             S(S13_CONNECTED) | S(S13_PHA_WAIT_CERT) | S(S13_PHA_WAIT_CV) | S(S13_PHA_WAIT_FINISHED));
}

/* ---- Rendering: DOT and the generated part of docs/STATE-MACHINE.md -------------------------------------- */

typedef struct text {
    char *p;
    size_t len, cap;
} text;

static void emit(text *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void emit(text *b, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
        abort();
    }
    if (b->len + (size_t)n + 1 > b->cap) {
        b->cap = 2 * (b->len + (size_t)n + 1);
        b->p = realloc(b->p, b->cap);
        if (b->p == NULL) {
            abort();
        }
    }
    va_start(ap, fmt);
    vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

static const char *msg_label(const latch_hs_edge *e)
{
    return e->content_type == LATCH_CT_CHANGE_CIPHER_SPEC ? "ChangeCipherSpec" : latch_hs_name(e->hs_type);
}

/* One table as a Graphviz digraph: states as boxes (connected states doubled),
 * received messages as solid edges (TLS 1.2 in blue), API transitions dashed. */
static void render_dot(text *b, const role *ro)
{
    const latch_hs_table *t = ro->t;

    emit(b, "digraph %s {\n", t->role);
    emit(b, "    rankdir=TB;\n");
    emit(b, "    node [shape=box, style=rounded, fontname=\"Helvetica\"];\n");
    emit(b, "    edge [fontname=\"Helvetica\", fontsize=10];\n");
    for (size_t s = 0; s < t->n_states; s++) {
        emit(b, "    \"%s\"%s;\n", t->state_names[s], (t->connected & LATCH_S(s)) ? " [peripheries=2]" : "");
    }
    for (size_t i = 0; i < ro->n_api; i++) {
        emit(b, "    \"%s\" -> \"%s\" [label=\"%s\", style=dashed];\n", t->state_names[ro->api[i].from],
             t->state_names[ro->api[i].to], ro->api[i].what);
    }
    for (size_t i = 0; i < n_all(t); i++) {
        const latch_hs_edge *e = edge_at(t, i);

        for (size_t s = 0; s < t->n_states; s++) {
            if (e->next & LATCH_S(s)) {
                emit(b, "    \"%s\" -> \"%s\" [label=\"%s\"%s];\n", t->state_names[e->state], t->state_names[s],
                     msg_label(e), i < t->n_edges ? "" : ", color=blue, fontcolor=blue");
            }
        }
    }
    emit(b, "}\n");
}

static void render_flags(text *b, uint8_t f)
{
    const char *sep = "";

    if (f & EOR) {
        emit(b, "%sends its record", sep);
        sep = ", ";
    }
    if (f & PRIOR) {
        emit(b, "%shash before it", sep);
        sep = ", ";
    }
    if (f & OWN) {
        emit(b, "%shandler adds it to the transcript", sep);
        sep = ", ";
    }
    if (f & NOT) {
        emit(b, "%snot in the transcript", sep);
    }
}

static void render_markdown(text *b)
{
    emit(b, "<!-- generated: everything below this line is printed by `test_unit_hs_machine --markdown` from the "
            "state tables; unit/hs/machine fails when it differs. -->\n");
    for (size_t r = 0; r < N(roles); r++) {
        const role *ro = &roles[r];
        const latch_hs_table *t = ro->t;
        const char *sep = "";

        emit(b, "\n## %c%s\n\n", t->role[0] - 'a' + 'A', t->role + 1);
        emit(b, "```dot\n");
        render_dot(b, ro);
        emit(b, "```\n\n");
        emit(b, "Connected states (the handshake is complete): ");
        for (size_t s = 0; s < t->n_states; s++) {
            if (t->connected & LATCH_S(s)) {
                emit(b, "%s%s", sep, t->state_names[s]);
                sep = ", ";
            }
        }
        emit(b, ".\n\n");
        emit(b, "| In state | On | The handler may go to | Edge flags |\n");
        emit(b, "|---|---|---|---|\n");
        for (size_t i = 0; i < ro->n_api; i++) {
            emit(b, "| %s | *%s* | %s | |\n", t->state_names[ro->api[i].from], ro->api[i].what,
                 t->state_names[ro->api[i].to]);
        }
        for (size_t i = 0; i < n_all(t); i++) {
            const latch_hs_edge *e = edge_at(t, i);

            sep = "";
            emit(b, "| %s | %s%s | ", t->state_names[e->state], i < t->n_edges ? "" : "TLS 1.2: ", msg_label(e));
            for (size_t s = 0; s < t->n_states; s++) {
                if (e->next & LATCH_S(s)) {
                    emit(b, "%s%s", sep, t->state_names[s]);
                    sep = ", ";
                }
            }
            emit(b, " |");
            if (e->flags != 0) {
                emit(b, " ");
                render_flags(b, e->flags);
                emit(b, " |");
            } else {
                emit(b, " |");
            }
            emit(b, "\n");
        }
    }
}

static char *read_all_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *p = NULL;
    size_t cap = 0;

    *len = 0;
    if (f == NULL) {
        return NULL;
    }
    for (;;) {
        size_t n;

        if (*len + 4096 + 1 > cap) {
            cap = 2 * cap + 8192;
            p = realloc(p, cap);
            if (p == NULL) {
                abort();
            }
        }
        n = fread(p + *len, 1, cap - *len - 1, f);
        *len += n;
        if (n == 0) {
            break;
        }
    }
    fclose(f);
    p[*len] = '\0';
    return p;
}

static void test_dot_rendering(void)
{
    text b = {0};

    render_dot(&b, &roles[0]);
    REQUIRE(b.p != NULL);
    CHECK(strncmp(b.p, "digraph client {\n", 17) == 0);
    CHECK(strstr(b.p, "\"CONNECTED\" [peripheries=2];") != NULL);
    CHECK(strstr(b.p, "\"START\" -> \"WAIT_SH\" [label=\"send ClientHello (first output)\", style=dashed];") != NULL);
    CHECK(strstr(b.p, "\"WAIT_SH\" -> \"WAIT_SH\" [label=\"ServerHello\"];") != NULL);
    CHECK(strstr(b.p, "\"WAIT_CERT_CR\" -> \"WAIT_CERT\" [label=\"CertificateRequest\"];") != NULL);
    CHECK(b.len > 0 && b.p[b.len - 2] == '}');
    free(b.p);
    b = (text){0};
    render_dot(&b, &roles[1]);
    CHECK(strstr(b.p, "\"START\" -> \"WAIT_EOED\" [label=\"ClientHello\"];") != NULL);
    CHECK(strstr(b.p, "\"PHA_WAIT_CERT\" [peripheries=2];") != NULL);
    free(b.p);
}

#define DOC_REGEN                                                                                            \
    "sed -i '/^<!-- generated:/,$d' docs/STATE-MACHINE.md && "                                              \
    "build/tests/test_unit_hs_machine --markdown >> docs/STATE-MACHINE.md"

/* docs/STATE-MACHINE.md ends with exactly what --markdown prints. */
static void test_doc_up_to_date(void)
{
    const char *src = getenv("LATCH_SRC");
    char path[1024];
    text want = {0};
    size_t len, line = 1;
    char *doc, *gen;

    if (src == NULL) {
        latch_test_fail(__FILE__, __LINE__, "LATCH_SRC is not set (run through ctest, or set it to the source tree)");
        return;
    }
    snprintf(path, sizeof path, "%s/docs/STATE-MACHINE.md", src);
    doc = read_all_file(path, &len);
    if (doc == NULL) {
        latch_test_fail(__FILE__, __LINE__, "cannot read %s; generate it with: %s", path, DOC_REGEN);
        return;
    }
    render_markdown(&want);
    gen = strstr(doc, "\n<!-- generated:"); /* at the start of a line, as sed finds it */
    gen = gen != NULL ? gen + 1 : NULL;
    if (gen == NULL || strcmp(gen, want.p) != 0) {
        const char *a = gen != NULL ? gen : "", *w = want.p;

        while (*a != '\0' && *a == *w) {
            line += *a == '\n';
            a++;
            w++;
        }
        latch_test_fail(__FILE__, __LINE__,
                        "docs/STATE-MACHINE.md is out of date with the state tables (first difference at line %zu of "
                        "the generated part). Regenerate it from the source tree with:\n    %s",
                        line, DOC_REGEN);
    }
    /* The prose above says how to regenerate it. */
    CHECK(strstr(doc, "--markdown") != NULL);
    free(doc);
    free(want.p);
}

/* ---- Through real connections --------------------------------------------------------------------------- *
 *
 * To put a message in front of a connection in a given state, the test plays
 * the peer: it learns the traffic secrets from the key log, derives the
 * record keys (RFC 8446 §7.3), decrypts the peer's real flight, and seals
 * records of its own: the real messages that lead to the state, then the one
 * under test.
 */

typedef struct secrets {
    struct {
        char label[40];
        latch_secret s;
    } e[16];
    size_t n;
} secrets;

static int unhex_nibble(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static void on_keylog(void *user, const latch_conn *c, const char *line)
{
    secrets *k = user;
    const char *sp1 = strchr(line, ' '), *sp2 = sp1 != NULL ? strchr(sp1 + 1, ' ') : NULL;
    size_t llen, i = 0;
    latch_secret s;

    (void)c;
    if (sp2 == NULL || (llen = (size_t)(sp1 - line)) >= sizeof k->e[0].label) {
        abort();
    }
    memset(&s, 0, sizeof s);
    for (const char *h = sp2 + 1; h[0] != '\0' && h[1] != '\0' && i < sizeof s.b; h += 2) {
        s.b[i++] = (uint8_t)(unhex_nibble(h[0]) << 4 | unhex_nibble(h[1]));
    }
    s.len = (uint8_t)i;
    for (size_t j = 0; j < k->n; j++) {
        if (strlen(k->e[j].label) == llen && strncmp(k->e[j].label, line, llen) == 0) {
            k->e[j].s = s;
            return;
        }
    }
    if (k->n < N(k->e)) {
        memcpy(k->e[k->n].label, line, llen);
        k->e[k->n].label[llen] = '\0';
        k->e[k->n++].s = s;
    }
}

static const latch_secret *secret_of(const secrets *k, const char *label)
{
    for (size_t j = 0; j < k->n; j++) {
        if (strcmp(k->e[j].label, label) == 0) {
            return &k->e[j].s;
        }
    }
    return NULL;
}

/* A record direction keyed from a TLS_AES_128_GCM_SHA256 traffic secret. */
static bool dir_from(latch_rec_dir *d, const latch_secret *s, bool encrypt)
{
    const latch_provider *prov = latch_provider_openssl();
    const latch_hash_alg *h = latch_provider_hash(prov, LATCH_HASH_SHA256);
    const latch_aead_alg *a = latch_provider_aead(prov, LATCH_AEAD_AES_128_GCM);
    uint8_t key[LATCH_AEAD_MAX_KEY], iv[LATCH_AEAD_NONCE_LEN];

    memset(d, 0, sizeof *d);
    return s != NULL && latch_ks13_traffic_keys(h, a, s, key, iv) == LATCH_OK &&
           latch_rec_dir_set13(d, a, key, iv, encrypt) == LATCH_OK;
}

/* Bytes waiting on one side, taken out of it. */
typedef struct bytes {
    uint8_t b[32768];
    size_t n;
} bytes;

static void take_output(latch_conn *c, bytes *out)
{
    const uint8_t *d;
    size_t n;

    out->n = 0;
    while (latch_conn_output(c, &d, &n) == LATCH_OK && n > 0) {
        if (out->n + n > sizeof out->b) {
            abort();
        }
        memcpy(out->b + out->n, d, n);
        out->n += n;
        latch_conn_output_done(c, n);
    }
}

/* The i-th record in r (0-based): offset and length, false if none. */
static bool record_at(const bytes *r, size_t i, size_t *off, size_t *len)
{
    size_t o = 0;

    while (o + 5 <= r->n) {
        size_t l = 5 + ((size_t)r->b[o + 3] << 8 | r->b[o + 4]);

        if (o + l > r->n) {
            return false;
        }
        if (i-- == 0) {
            *off = o;
            *len = l;
            return true;
        }
        o += l;
    }
    return false;
}

/* Decrypt every protected (outer type 23) record of r with d; the
 * handshake plaintext goes to msgs. */
static bool open_flight(latch_rec_dir *d, bytes *r, bytes *msgs)
{
    size_t off, len;

    msgs->n = 0;
    for (size_t i = 0; record_at(r, i, &off, &len); i++) {
        uint8_t type;
        latch_rd plain;

        if (r->b[off] != LATCH_CT_APPLICATION_DATA) {
            continue;
        }
        if (latch_rec_open(d, r->b + off, len, &type, &plain) != LATCH_OK || type != LATCH_CT_HANDSHAKE) {
            return false;
        }
        memcpy(msgs->b + msgs->n, plain.p, plain.len);
        msgs->n += plain.len;
    }
    return msgs->n > 0;
}

/* The first k handshake messages of msgs: their total length. */
static size_t prefix_len(const bytes *msgs, size_t k, uint8_t *last_type)
{
    size_t o = 0;

    for (size_t i = 0; i < k; i++) {
        if (o + 4 > msgs->n) {
            abort();
        }
        *last_type = msgs->b[o];
        o += 4 + ((size_t)msgs->b[o + 1] << 16 | (size_t)msgs->b[o + 2] << 8 | msgs->b[o + 3]);
    }
    return o;
}

/* Seal p[0..n) as one record of content type `type` and append it to out
 * (the plaintext goes behind the header and, in TLS 1.2 GCM, the explicit
 * nonce: latch_rec_prefix). */
static bool seal_record(latch_rec_dir *d, uint8_t type, const uint8_t *p, size_t n, bytes *out)
{
    size_t rec_len;

    if (out->n + latch_rec_prefix(d) + n + 64 > sizeof out->b) {
        return false;
    }
    memcpy(out->b + out->n + latch_rec_prefix(d), p, n);
    if (latch_rec_seal(d, type, out->b + out->n, n, 0, sizeof out->b - out->n, &rec_len) != LATCH_OK) {
        return false;
    }
    out->n += rec_len;
    return true;
}

/* Seal p[0..n) as one record of type `type` and feed it to c. */
static latch_err feed_sealed_as(latch_conn *c, latch_rec_dir *d, uint8_t type, const uint8_t *p, size_t n)
{
    bytes rec;
    size_t used;

    rec.n = 0;
    if (!seal_record(d, type, p, n, &rec)) {
        return LATCH_ERR_INTERNAL;
    }
    return latch_conn_feed(c, rec.b, rec.n, &used);
}

/* Seal p[0..n) as one handshake record and feed it to c. */
static latch_err feed_sealed(latch_conn *c, latch_rec_dir *d, const uint8_t *p, size_t n)
{
    return feed_sealed_as(c, d, LATCH_CT_HANDSHAKE, p, n);
}

/* One plaintext record of content type `type` holding p[0..n), fed to c. */
static latch_err feed_plain_as(latch_conn *c, uint8_t type, const uint8_t *p, size_t n)
{
    uint8_t rec[20000];
    size_t used;

    rec[0] = type;
    rec[1] = 3;
    rec[2] = 3;
    rec[3] = (uint8_t)(n >> 8);
    rec[4] = (uint8_t)n;
    memcpy(rec + 5, p, n);
    return latch_conn_feed(c, rec, n + 5, &used);
}

static latch_err feed_plain(latch_conn *c, const uint8_t *p, size_t n)
{
    return feed_plain_as(c, LATCH_CT_HANDSHAKE, p, n);
}

static latch_err feed_records(latch_conn *c, const bytes *r, size_t first, size_t count)
{
    size_t off, len, used;
    latch_err e = LATCH_OK;

    for (size_t i = first; i < first + count && e == LATCH_OK && record_at(r, i, &off, &len); i++) {
        e = latch_conn_feed(c, r->b + off, len, &used);
    }
    return e;
}

/* Every handshake message type there is (RFC 8446 §B.3 and the TLS 1.2 ones,
 * RFC 5246 §7.4, RFC 6066, RFC 4680, RFC 8879), and two never assigned. */
static const uint8_t all_types[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 11, 12, 13, 14, 15, 16, 20, 21, 22, 23, 24, 25, 200, 254};

/* The set-up for one (state, type): both connections, and what the test
 * sends as the peer. */
typedef struct scene {
    latch_config *cc, *sc;
    tpair p;
    secrets keys;
    latch_conn *victim, *peer;
    uint8_t want_state;
    bool plain;          /* the victim reads in the clear */
    latch_rec_dir seal;  /* otherwise: the peer's write keys */
    bytes lead;          /* real handshake messages to send first (their own record) */
    bytes rest;          /* the real messages after them (TLS 1.2: the peer's records, as they go on the wire) */
    bool clear_out;      /* after the lead: the victim writes in the clear */
    bool ok;
} scene;

static void scene_free(scene *sc)
{
    latch_rec_dir_clear(&sc->seal);
    tpair_free(&sc->p);
    latch_config_free(sc->cc);
    latch_config_free(sc->sc);
}

static void scene_configs(scene *sc, bool client_cert, latch_client_auth auth)
{
    const tpki *pki = tpki_get(LATCH_KEY_ECDSA_P256);

    memset(sc, 0, sizeof *sc);
    sc->cc = tcfg_client(LATCH_KEY_ECDSA_P256);
    sc->sc = tcfg_server(LATCH_KEY_ECDSA_P256);
    if (latch_config_set_ciphers(sc->cc, "TLS_AES_128_GCM_SHA256") != LATCH_OK ||
        latch_config_set_keylog(sc->cc, on_keylog, &sc->keys) != LATCH_OK ||
        latch_config_set_keylog(sc->sc, on_keylog, &sc->keys) != LATCH_OK ||
        latch_config_set_tickets(sc->sc, 0, 60) != LATCH_OK) {
        abort();
    }
    if (client_cert && latch_config_add_cert_mem(sc->cc, (const uint8_t *)pki->client, strlen(pki->client),
                                                 (const uint8_t *)pki->client_key, strlen(pki->client_key)) != LATCH_OK) {
        abort();
    }
    /* The server trusts the client's CA whenever a client certificate may come. */
    if ((auth != LATCH_CLIENT_AUTH_NONE || client_cert) &&
        (latch_config_set_client_auth(sc->sc, auth) != LATCH_OK ||
         latch_config_load_ca_mem(sc->sc, (const uint8_t *)pki->ca, strlen(pki->ca)) != LATCH_OK)) {
        abort();
    }
}

/*
 * Client states. lead: how many of the server's encrypted messages go
 * first (EE, [CR], Certificate, CertificateVerify, Finished), or -1 for
 * C13_CONNECTED, or -2 for WAIT_SH (in the clear).
 */
static void client_scene(scene *sc, uint8_t state, int lead, bool cr)
{
    bytes flight, msgs;
    latch_rec_dir open;
    uint8_t last = 0;
    size_t n;

    scene_configs(sc, false, cr ? LATCH_CLIENT_AUTH_OPTIONAL : LATCH_CLIENT_AUTH_NONE);
    if (tpair_new(&sc->p, sc->cc, sc->sc, "localhost") != LATCH_OK) {
        return;
    }
    sc->victim = sc->p.c;
    sc->peer = sc->p.s;
    sc->want_state = state;
    if (lead == -2) {
        (void)tpump(sc->p.c, sc->p.s); /* the ClientHello goes out; the server answers (ignored) */
        sc->plain = true;
        sc->ok = true;
        return;
    }
    if (lead == -1) {
        sc->ok = tpair_handshake(&sc->p) == LATCH_OK && dir_from(&sc->seal, secret_of(&sc->keys, "SERVER_TRAFFIC_SECRET_0"), true);
        return;
    }
    if (tpump(sc->p.c, sc->p.s) != LATCH_OK) {
        return;
    }
    take_output(sc->p.s, &flight);
    /* ServerHello and ChangeCipherSpec in the clear: the client reaches WAIT_EE. */
    if (feed_records(sc->p.c, &flight, 0, 2) != LATCH_OK ||
        !dir_from(&open, secret_of(&sc->keys, "SERVER_HANDSHAKE_TRAFFIC_SECRET"), false)) {
        return;
    }
    if (!open_flight(&open, &flight, &msgs)) {
        latch_rec_dir_clear(&open);
        return;
    }
    latch_rec_dir_clear(&open);
    n = prefix_len(&msgs, (size_t)lead, &last);
    memcpy(sc->lead.b, msgs.b, n);
    sc->lead.n = n;
    memcpy(sc->rest.b, msgs.b + n, msgs.n - n);
    sc->rest.n = msgs.n - n;
    sc->ok = dir_from(&sc->seal, secret_of(&sc->keys, "SERVER_HANDSHAKE_TRAFFIC_SECRET"), true);
}

/* Server states in the main handshake: lead client messages (Certificate,
 * CertificateVerify, Finished) go first. */
static void server_scene(scene *sc, uint8_t state, size_t lead, latch_client_auth auth)
{
    bytes flight, msgs;
    latch_rec_dir open;
    uint8_t last = 0;
    size_t n;

    scene_configs(sc, auth != LATCH_CLIENT_AUTH_NONE, auth);
    if (tpair_new(&sc->p, sc->cc, sc->sc, "localhost") != LATCH_OK) {
        return;
    }
    sc->victim = sc->p.s;
    sc->peer = sc->p.c;
    sc->want_state = state;
    if (tpump(sc->p.c, sc->p.s) != LATCH_OK || tpump(sc->p.s, sc->p.c) != LATCH_OK) {
        return;
    }
    take_output(sc->p.c, &flight); /* [CCS,] then the client's protected flight: not delivered */
    if (!dir_from(&open, secret_of(&sc->keys, "CLIENT_HANDSHAKE_TRAFFIC_SECRET"), false)) {
        return;
    }
    if (!open_flight(&open, &flight, &msgs)) {
        latch_rec_dir_clear(&open);
        return;
    }
    latch_rec_dir_clear(&open);
    n = prefix_len(&msgs, lead, &last);
    memcpy(sc->lead.b, msgs.b, n);
    sc->lead.n = n;
    memcpy(sc->rest.b, msgs.b + n, msgs.n - n);
    sc->rest.n = msgs.n - n;
    sc->ok = dir_from(&sc->seal, secret_of(&sc->keys, "CLIENT_HANDSHAKE_TRAFFIC_SECRET"), true);
}

static void server_start_scene(scene *sc)
{
    scene_configs(sc, false, LATCH_CLIENT_AUTH_NONE);
    if (tpair_new(&sc->p, sc->cc, sc->sc, "localhost") != LATCH_OK) {
        return;
    }
    sc->victim = sc->p.s;
    sc->peer = NULL; /* the client's ClientHello never reaches it */
    sc->want_state = S_START;
    sc->plain = true;
    sc->ok = true;
}

/* After a HelloRetryRequest: the server waits for ClientHello2 in the clear. */
static void server_ch2_scene(scene *sc)
{
    scene_configs(sc, false, LATCH_CLIENT_AUTH_NONE);
    if (latch_config_set_groups(sc->cc, "x25519:secp384r1") != LATCH_OK || latch_config_set_key_shares(sc->cc, 1) != LATCH_OK ||
        latch_config_set_groups(sc->sc, "secp384r1") != LATCH_OK ||
        tpair_new(&sc->p, sc->cc, sc->sc, "localhost") != LATCH_OK) {
        return;
    }
    sc->victim = sc->p.s;
    sc->peer = sc->p.c;
    sc->want_state = S13_WAIT_CH2;
    sc->plain = true;
    sc->ok = tpump(sc->p.c, sc->p.s) == LATCH_OK;
}

static void server_connected_scene(scene *sc)
{
    scene_configs(sc, false, LATCH_CLIENT_AUTH_NONE);
    if (tpair_new(&sc->p, sc->cc, sc->sc, "localhost") != LATCH_OK) {
        return;
    }
    sc->victim = sc->p.s;
    sc->peer = sc->p.c;
    sc->want_state = S13_CONNECTED;
    sc->ok = tpair_handshake(&sc->p) == LATCH_OK &&
             dir_from(&sc->seal, secret_of(&sc->keys, "CLIENT_TRAFFIC_SECRET_0"), true);
}

/* Post-handshake authentication: lead messages of the client's answer go first. */
static void server_pha_scene(scene *sc, uint8_t state, size_t lead)
{
    bytes answer, msgs;
    latch_rec_dir open;
    uint8_t last = 0;
    size_t n;

    scene_configs(sc, true, LATCH_CLIENT_AUTH_NONE);
    if (tpair_new(&sc->p, sc->cc, sc->sc, "localhost") != LATCH_OK || tpair_handshake(&sc->p) != LATCH_OK ||
        latch_conn_request_client_cert(sc->p.s) != LATCH_OK) {
        return;
    }
    sc->victim = sc->p.s;
    sc->peer = sc->p.c;
    sc->want_state = state;
    /* API transition: requesting a certificate enters PHA_WAIT_CERT. */
    CHECK_EQ(sc->p.s->state, S13_PHA_WAIT_CERT);
    if (tpump(sc->p.s, sc->p.c) != LATCH_OK) {
        return;
    }
    take_output(sc->p.c, &answer);
    if (!dir_from(&open, secret_of(&sc->keys, "CLIENT_TRAFFIC_SECRET_0"), false)) {
        return;
    }
    if (!open_flight(&open, &answer, &msgs)) {
        latch_rec_dir_clear(&open);
        return;
    }
    latch_rec_dir_clear(&open);
    n = prefix_len(&msgs, lead, &last);
    memcpy(sc->lead.b, msgs.b, n);
    sc->lead.n = n;
    memcpy(sc->rest.b, msgs.b + n, msgs.n - n);
    sc->rest.n = msgs.n - n;
    sc->ok = dir_from(&sc->seal, secret_of(&sc->keys, "CLIENT_TRAFFIC_SECRET_0"), true);
}

/* 0-RTT accepted: the server reads early data and waits for EndOfEarlyData. */
static void server_eoed_scene(scene *sc)
{
    uint8_t sess[4096];
    size_t sess_len = 0;
    bytes first;
    tpair p0;

    scene_configs(sc, false, LATCH_CLIENT_AUTH_NONE);
    if (latch_config_set_tickets(sc->sc, 1, 3600) != LATCH_OK || latch_config_set_early_data(sc->sc, 1024) != LATCH_OK) {
        return;
    }
    if (tpair_new(&p0, sc->cc, sc->sc, "localhost") != LATCH_OK || tpair_handshake(&p0) != LATCH_OK ||
        latch_conn_session(p0.c, sess, sizeof sess, &sess_len) != LATCH_OK) {
        tpair_free(&p0);
        return;
    }
    tpair_free(&p0);
    if (tpair_new(&sc->p, sc->cc, sc->sc, "localhost") != LATCH_OK ||
        latch_conn_set_session(sc->p.c, sess, sess_len) != LATCH_OK ||
        latch_conn_write_early(sc->p.c, (const uint8_t *)"early", 5) != LATCH_OK) {
        return;
    }
    sc->victim = sc->p.s;
    sc->peer = sc->p.c;
    sc->want_state = S13_WAIT_EOED;
    take_output(sc->p.c, &first); /* ClientHello, [CCS,] early data */
    /* Deliver the ClientHello only; the test speaks with the early keys instead of the client. */
    sc->ok = feed_records(sc->p.s, &first, 0, 1) == LATCH_OK &&
             dir_from(&sc->seal, secret_of(&sc->keys, "CLIENT_EARLY_TRAFFIC_SECRET"), true);
}

/* ---- TLS 1.2 scenes -----------------------------------------------------------------------------------------
 *
 * TLS 1.2 sends every handshake message before a ChangeCipherSpec in the
 * clear, so the test plays the peer by taking its real flight off the wire
 * and cutting it into items: each handshake message of its plaintext
 * records, and each other record (the ChangeCipherSpec, then the protected
 * Finished). The lead items go to the victim (runs of messages re-framed
 * into one plaintext record each, other records as they were sent); the
 * victim must then be in the scene's state. Once it has read the peer's
 * ChangeCipherSpec, the test's messages are sealed with the peer's write
 * keys: the master secret from the key log (NSS "CLIENT_RANDOM" lines), the
 * randoms from the connection, the key block of RFC 5246 §6.3, and the
 * sequence number of the next record (RFC 5246 §6.1).
 */

#define ALL_ITEMS ((size_t)-1)

typedef struct items {
    const bytes *f;
    size_t off[32], len[32];
    bool msg[32];  /* a handshake message of a plaintext record (off: its header) */
    bool prot[32]; /* a record protected under the new keys (after the ChangeCipherSpec) */
    size_t n;
} items;

static bool add_item(items *it, size_t off, size_t len, bool msg, bool prot)
{
    if (it->n == N(it->off)) {
        return false;
    }
    it->off[it->n] = off;
    it->len[it->n] = len;
    it->msg[it->n] = msg;
    it->prot[it->n] = prot;
    it->n++;
    return true;
}

static bool split_items(const bytes *f, items *it)
{
    bool after_ccs = false;
    size_t off, len;

    memset(it, 0, sizeof *it);
    it->f = f;
    for (size_t i = 0; record_at(f, i, &off, &len); i++) {
        if (f->b[off] == LATCH_CT_HANDSHAKE && !after_ccs) {
            size_t o = off + 5, end = off + len;

            while (o + 4 <= end) {
                size_t l = 4 + ((size_t)f->b[o + 1] << 16 | (size_t)f->b[o + 2] << 8 | f->b[o + 3]);

                if (o + l > end || !add_item(it, o, l, true, false)) {
                    return false; /* (a message over two records: these flights have none) */
                }
                o += l;
            }
            if (o != end) {
                return false;
            }
        } else {
            if (!add_item(it, off, len, false, after_ccs)) {
                return false;
            }
            after_ccs = after_ccs || f->b[off] == LATCH_CT_CHANGE_CIPHER_SPEC;
        }
    }
    return it->n > 0;
}

/* Items [from, to) as wire records, appended to out. */
static void items_wire(const items *it, size_t from, size_t to, bytes *out)
{
    for (size_t i = from; i < to && i < it->n;) {
        if (it->msg[i]) {
            size_t hdr = out->n, body;

            out->n += 5;
            for (; i < to && i < it->n && it->msg[i]; i++) {
                memcpy(out->b + out->n, it->f->b + it->off[i], it->len[i]);
                out->n += it->len[i];
            }
            body = out->n - hdr - 5;
            out->b[hdr] = LATCH_CT_HANDSHAKE;
            out->b[hdr + 1] = 3;
            out->b[hdr + 2] = 3;
            out->b[hdr + 3] = (uint8_t)(body >> 8);
            out->b[hdr + 4] = (uint8_t)body;
        } else {
            memcpy(out->b + out->n, it->f->b + it->off[i], it->len[i]);
            out->n += it->len[i];
            i++;
        }
    }
}

/* A TLS 1.2 write direction of the suite the scenes use
 * (ECDHE-ECDSA-AES128-GCM-SHA256), keyed as the peer of c writes. */
static bool dir12_from(latch_rec_dir *d, const secrets *k, const latch_conn *c, bool server_writes, uint64_t seq)
{
    const latch_provider *prov = latch_provider_openssl();
    const latch_hash_alg *h = latch_provider_hash(prov, LATCH_HASH_SHA256);
    const latch_aead_alg *a = latch_provider_aead(prov, LATCH_AEAD_AES_128_GCM);
    const latch_secret *master = secret_of(k, "CLIENT_RANDOM");
    latch_keys12 keys;
    bool ok;

    memset(d, 0, sizeof *d);
    ok = master != NULL && master->len == LATCH_MASTER_SECRET_LEN &&
         latch_ks12_keys(h, master, c->client_random, c->server_random, a->key_len, 4, &keys) == LATCH_OK &&
         latch_rec_dir_set12(d, a, server_writes ? keys.server_key : keys.client_key,
                             server_writes ? keys.server_iv : keys.client_iv, 4, true) == LATCH_OK;
    latch_wipe(&keys, sizeof keys);
    d->seq = seq;
    return ok;
}

/* The configs of a TLS 1.2 scene: a TLS 1.2-only client offering one
 * suite, and a server keeping sessions in `store` (tickets: the client
 * gets a NewSessionTicket; off: none). */
static void scene_configs12(scene *sc, latch_client_auth auth, latch_session_store store)
{
    scene_configs(sc, auth != LATCH_CLIENT_AUTH_NONE, auth);
    if (latch_config_set_versions(sc->cc, LATCH_TLS12, LATCH_TLS12) != LATCH_OK ||
        latch_config_set_ciphers(sc->cc, "ECDHE-ECDSA-AES128-GCM-SHA256") != LATCH_OK ||
        latch_config_set_session_store(sc->sc, store, 8) != LATCH_OK) {
        abort();
    }
}

/* A full TLS 1.2 handshake with the scene's configs; the client's session. */
static bool session12(scene *sc, uint8_t *sess, size_t cap, size_t *n)
{
    tpair p0;
    bool ok;

    ok = tpair_new(&p0, sc->cc, sc->sc, "localhost") == LATCH_OK && tpair_handshake(&p0) == LATCH_OK &&
         latch_conn_session(p0.c, sess, cap, n) == LATCH_OK;
    tpair_free(&p0);
    return ok;
}

/* Which flight of the peer a TLS 1.2 scene cuts into items. */
typedef enum flight12 {
    F12_SERVER_FIRST,      /* client victim: ServerHello .. ServerHelloDone */
    F12_SERVER_FINISH,     /* client victim, its flight sent: [NewSessionTicket,] ChangeCipherSpec, Finished */
    F12_SERVER_RESUME,     /* client victim, resuming: ServerHello, ChangeCipherSpec, Finished */
    F12_SERVER_RESUME_NST, /* client victim, resuming: a hand-made server that sends a new ticket */
    F12_CLIENT,            /* server victim: [Certificate,] ClientKeyExchange, [CertificateVerify,]
                              ChangeCipherSpec, Finished */
    F12_CLIENT_RESUME,     /* server victim, resuming: ChangeCipherSpec, Finished */
} flight12;

typedef struct arg12 {
    uint8_t state;
    flight12 flight;
    size_t lead; /* items of the flight that go first (ALL_ITEMS: all) */
    latch_client_auth auth;
    latch_session_store store;
} arg12;

/*
 * RESUME_WAIT_NST: latch's server never sends a NewSessionTicket in an
 * abbreviated handshake (server12.c resume()), but RFC 5077 §3.1 lets a
 * server renew the ticket there, and other servers do, so the client's
 * state is real and must be checked against such a server. The test is that
 * server: it answers the client's ClientHello with a ServerHello that
 * echoes the session id and announces a ticket; the rest is a
 * NewSessionTicket, a ChangeCipherSpec and the server's Finished over
 * ClientHello, ServerHello and NewSessionTicket (RFC 5246 §7.4.9, RFC 5077
 * §3.3), sealed with the server's keys.
 */
static const uint8_t nst12_ticket[] = "a new ticket, opaque to the client";

static void client_resume_nst_scene(scene *sc)
{
    const latch_provider *prov = latch_provider_openssl();
    const latch_hash_alg *h = latch_provider_hash(prov, LATCH_HASH_SHA256);
    uint8_t sess[8192], sh_msg[1024], nst_msg[256], fin[4 + LATCH_FINISHED12_LEN], th[LATCH_HASH_MAX_LEN];
    size_t sess_len = 0, off, len, sh_len, nst_len;
    latch_server_hello_out sh;
    latch_client_hello ch;
    latch_rec_dir d;
    latch_hash_ctx ctx;
    latch_wr w;
    latch_err e;
    bytes out;

    scene_configs12(sc, LATCH_CLIENT_AUTH_NONE, LATCH_SESSIONS_TICKETS);
    if (!session12(sc, sess, sizeof sess, &sess_len) ||
        latch_conn_new_client(sc->cc, "localhost", &sc->p.c) != LATCH_OK ||
        latch_conn_set_session(sc->p.c, sess, sess_len) != LATCH_OK) {
        return;
    }
    sc->victim = sc->p.c;
    sc->peer = NULL;
    sc->want_state = C12_RESUME_WAIT_NST;
    sc->plain = true;
    take_output(sc->p.c, &out);
    if (!record_at(&out, 0, &off, &len) || off != 0 || len != out.n || out.b[5] != LATCH_HS_CLIENT_HELLO ||
        latch_client_hello_parse(latch_rd_make(out.b + 9, out.n - 9), &ch) != LATCH_OK || ch.session_id.len == 0) {
        return;
    }
    memset(&sh, 0, sizeof sh);
    sh.legacy_version = LATCH_TLS12;
    memset(sh.random, 0x5A, sizeof sh.random);
    sh.session_id = ch.session_id.p; /* the echo resumes (RFC 5077 §3.4) */
    sh.session_id_len = ch.session_id.len;
    sh.cipher_suite = LATCH_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256;
    sh.psk_identity = -1;
    sh.ems = true;
    sh.reneg_info = true;
    sh.session_ticket = true; /* RFC 5077 §3.2: a NewSessionTicket follows */
    latch_wr_init(&w, sh_msg, sizeof sh_msg);
    if (latch_server_hello_build(&w, &sh) != LATCH_OK || latch_wr_finish(&w) != LATCH_OK) {
        return;
    }
    sh_len = latch_wr_len(&w);
    latch_wr_init(&w, nst_msg, sizeof nst_msg);
    if (latch_new_session_ticket12_build(&w, 7200, nst12_ticket, sizeof nst12_ticket) != LATCH_OK ||
        latch_wr_finish(&w) != LATCH_OK) {
        return;
    }
    nst_len = latch_wr_len(&w);
    e = feed_plain(sc->p.c, sh_msg, sh_len);
    if (e != LATCH_OK) {
        latch_test_fail(__FILE__, __LINE__, "the hand-made ServerHello was refused: %s (%s)", latch_err_name(e),
                        latch_conn_error(sc->p.c)->detail);
        return;
    }
    /* The server's Finished: verify_data over ClientHello, ServerHello, NewSessionTicket. */
    h->init(&ctx);
    h->update(&ctx, out.b + 5, out.n - 5);
    h->update(&ctx, sh_msg, sh_len);
    h->update(&ctx, nst_msg, nst_len);
    h->final(&ctx, th);
    fin[0] = LATCH_HS_FINISHED;
    fin[1] = 0;
    fin[2] = 0;
    fin[3] = LATCH_FINISHED12_LEN;
    if (secret_of(&sc->keys, "CLIENT_RANDOM") == NULL ||
        latch_ks12_finished(h, secret_of(&sc->keys, "CLIENT_RANDOM"), false, th, fin + 4) != LATCH_OK) {
        return;
    }
    memcpy(sc->rest.b, "\x16\x03\x03", 3);
    sc->rest.b[3] = (uint8_t)(nst_len >> 8);
    sc->rest.b[4] = (uint8_t)nst_len;
    memcpy(sc->rest.b + 5, nst_msg, nst_len);
    memcpy(sc->rest.b + 5 + nst_len, "\x14\x03\x03\x00\x01\x01", 6);
    sc->rest.n = 5 + nst_len + 6;
    sc->ok = dir12_from(&d, &sc->keys, sc->p.c, true, 0) &&
             seal_record(&d, LATCH_CT_HANDSHAKE, fin, sizeof fin, &sc->rest);
    latch_rec_dir_clear(&d);
}

static void scene12(scene *sc, const arg12 *a)
{
    bool server = a->flight == F12_CLIENT || a->flight == F12_CLIENT_RESUME;
    bool resume = a->flight == F12_SERVER_RESUME || a->flight == F12_CLIENT_RESUME;
    uint8_t sess[8192];
    size_t sess_len = 0, k, prot = 0, used;
    bool ccs = false;
    bytes flight, lead;
    items it;
    latch_err e;

    if (a->flight == F12_SERVER_RESUME_NST) {
        client_resume_nst_scene(sc);
        return;
    }
    scene_configs12(sc, a->auth, a->store);
    if ((resume && !session12(sc, sess, sizeof sess, &sess_len)) ||
        tpair_new(&sc->p, sc->cc, sc->sc, "localhost") != LATCH_OK ||
        (resume && latch_conn_set_session(sc->p.c, sess, sess_len) != LATCH_OK)) {
        return;
    }
    sc->victim = server ? sc->p.s : sc->p.c;
    sc->peer = server ? sc->p.c : sc->p.s;
    sc->want_state = a->state;
    /* The ClientHello goes to the server; then, as the flight needs, the
     * server's first flight to the client and the client's answer back. */
    if (tpump(sc->p.c, sc->p.s) != LATCH_OK ||
        ((server || a->flight == F12_SERVER_FINISH) && tpump(sc->p.s, sc->p.c) != LATCH_OK) ||
        (a->flight == F12_SERVER_FINISH && tpump(sc->p.c, sc->p.s) != LATCH_OK)) {
        return;
    }
    take_output(sc->peer, &flight);
    if (!split_items(&flight, &it)) {
        return;
    }
    k = a->lead < it.n ? a->lead : it.n;
    lead.n = 0;
    items_wire(&it, 0, k, &lead);
    sc->rest.n = 0;
    items_wire(&it, k, it.n, &sc->rest);
    for (size_t i = 0; i < k; i++) {
        ccs = ccs || (!it.msg[i] && it.f->b[it.off[i]] == LATCH_CT_CHANGE_CIPHER_SPEC);
        prot += it.prot[i];
    }
    if (lead.n > 0 && ((e = latch_conn_feed(sc->victim, lead.b, lead.n, &used)) != LATCH_OK || used != lead.n)) {
        latch_test_fail(__FILE__, __LINE__, "leading items refused: %s (%s)", latch_err_name(e),
                        latch_conn_error(sc->victim)->detail);
        return;
    }
    /* Before the peer's ChangeCipherSpec the victim reads in the clear;
     * after it, under the peer's keys, at the next sequence number. */
    sc->plain = !ccs;
    sc->ok = sc->plain || dir12_from(&sc->seal, &sc->keys, sc->victim, !server, prot);
}

static void make12(scene *sc, const void *arg)
{
    scene12(sc, arg);
}

/* Send the lead messages; the victim must then be in the scene's state. */
static bool scene_lead(scene *sc)
{
    if (sc->lead.n > 0) {
        latch_err e = feed_sealed(sc->victim, &sc->seal, sc->lead.b, sc->lead.n);

        if (e != LATCH_OK) {
            latch_test_fail(__FILE__, __LINE__, "leading messages refused: %s (%s)", latch_err_name(e),
                            latch_conn_error(sc->victim)->detail);
            return false;
        }
    }
    if (sc->victim->state != sc->want_state) {
        latch_test_fail(__FILE__, __LINE__, "%s in state %s, expected %s", latch__hs_table(sc->victim)->role,
                        latch__hs_state_name(sc->victim, sc->victim->state),
                        latch__hs_state_name(sc->victim, sc->want_state));
        return false;
    }
    /* (A failed connection clears its keys: look now.) */
    sc->clear_out = sc->victim->wr.mode == LATCH_PROT_NONE;
    return true;
}

/* The victim refused `what` with error `want` (alert `alert`), raised in
 * `file`; the state did not move, and the peer, where it can read the
 * alert, learns it too. A refusal by the table names the state. */
static void check_refused_as(scene *sc, latch_err got, const char *what, latch_err want, uint8_t alert,
                             const char *file)
{
    const latch_hs_table *t = latch__hs_table(sc->victim);
    const char *state = t->state_names[sc->want_state];

    if (got != want) {
        latch_test_fail(__FILE__, __LINE__, "%s in %s: %s gave %s, expected %s", t->role, state, what,
                        latch_err_name(got), latch_err_name(want));
        return;
    }
    CHECK_EQ(latch_conn_error(sc->victim)->alert, alert);
    if (strcmp(file, "hs/machine.c") == 0) {
        CHECK(strstr(latch_conn_error(sc->victim)->detail, state) != NULL);
    }
    if (strstr(latch_conn_error(sc->victim)->file, file) == NULL) {
        latch_test_fail(__FILE__, __LINE__, "%s in %s: %s refused in %s, expected %s", t->role, state, what,
                        latch_conn_error(sc->victim)->file, file);
    }
    CHECK_EQ(sc->victim->state, sc->want_state); /* the state did not move */
    CHECK(latch_conn_state(sc->victim) & LATCH_STATE_FAILED);
    if (sc->clear_out) {
        /* The victim writes in the clear: the alert is there to read. Alert(21),
         * TLS 1.2 record version, fatal(2), the description. */
        const uint8_t want_rec[] = {21, 3, 3, 0, 2, 2, alert};
        const uint8_t *d;
        size_t n;

        REQUIRE_OK(latch_conn_output(sc->victim, &d, &n));
        REQUIRE(n >= sizeof want_rec);
        CHECK_MEM(d + n - sizeof want_rec, sizeof want_rec, want_rec, sizeof want_rec);
    }
    if (sc->peer != NULL) {
        latch_err e = tpump(sc->victim, sc->peer);

        if (e != LATCH_ERR_PEER_ALERT || latch_conn_error(sc->peer)->alert != alert) {
            latch_test_fail(__FILE__, __LINE__, "%s in %s, %s: the peer saw %s, alert %u", t->role, state, what,
                            latch_err_name(e), latch_conn_error(sc->peer)->alert);
        }
    }
}

/* The victim refused handshake message `type` through its table. */
static void check_refused(scene *sc, latch_err got, uint8_t type)
{
    char what[64];

    snprintf(what, sizeof what, "%s (type %u)", latch_hs_name(type), type);
    check_refused_as(sc, got, what, LATCH_ERR_UNEXPECTED_MESSAGE, LATCH_ALERT_UNEXPECTED_MESSAGE, "hs/machine.c");
}

typedef void (*scene_fn)(scene *sc, const void *arg);

/* For every message type without an edge in the scene's state: a fresh
 * scene, the lead messages, then that message (empty body: the table must
 * refuse it before any parser looks). Returns how many types were refused. */
static size_t refuse_all(scene_fn make, const void *arg, const latch_hs_table *t, uint8_t state)
{
    size_t refused = 0;

    for (size_t i = 0; i < N(all_types); i++) {
        uint8_t msg[4] = {all_types[i], 0, 0, 0};
        scene sc;
        latch_err e;

        if (has_edge(t, state, HS, all_types[i])) {
            continue;
        }
        make(&sc, arg);
        if (!sc.ok) {
            latch_test_fail(__FILE__, __LINE__, "%s: could not reach %s", t->role, t->state_names[state]);
            scene_free(&sc);
            return refused;
        }
        if (scene_lead(&sc)) {
            e = sc.plain ? feed_plain(sc.victim, msg, sizeof msg) : feed_sealed(sc.victim, &sc.seal, msg, sizeof msg);
            check_refused(&sc, e, all_types[i]);
            refused++;
        }
        scene_free(&sc);
    }
    return refused;
}

/*
 * TLS 1.2: a ChangeCipherSpec (content type 20, its own edge) where the
 * state has none. While the victim reads in the clear the table refuses
 * it, as a handshake message. Once it reads under the peer's keys, no state
 * has a CCS edge (a ChangeCipherSpec is what switches the read keys): the
 * record layer refuses a protected one (conn.c), and one in the clear fails
 * authentication like any forged record.
 */
static void refuse_ccs(scene_fn make, const void *arg, const latch_hs_table *t, uint8_t state)
{
    static const uint8_t one = 1;

    if (has_edge(t, state, LATCH_CT_CHANGE_CIPHER_SPEC, 0)) {
        return; /* the edge is taken in test_scenes_accept_expected */
    }
    for (int pass = 0; pass < 2; pass++) {
        bool plain = true;
        scene sc;
        latch_err e;

        make(&sc, arg);
        if (!sc.ok) {
            latch_test_fail(__FILE__, __LINE__, "%s: could not reach %s", t->role, t->state_names[state]);
            scene_free(&sc);
            return;
        }
        if (scene_lead(&sc)) {
            plain = sc.plain;
            CHECK_EQ(sc.victim->version, LATCH_TLS12);
            if (plain) {
                e = feed_plain_as(sc.victim, LATCH_CT_CHANGE_CIPHER_SPEC, &one, 1);
                check_refused_as(&sc, e, "ChangeCipherSpec", LATCH_ERR_UNEXPECTED_MESSAGE,
                                 LATCH_ALERT_UNEXPECTED_MESSAGE, "hs/machine.c");
            } else if (pass == 0) {
                e = feed_sealed_as(sc.victim, &sc.seal, LATCH_CT_CHANGE_CIPHER_SPEC, &one, 1);
                check_refused_as(&sc, e, "protected ChangeCipherSpec", LATCH_ERR_UNEXPECTED_RECORD,
                                 LATCH_ALERT_UNEXPECTED_MESSAGE, "src/conn.c");
            } else {
                e = feed_plain_as(sc.victim, LATCH_CT_CHANGE_CIPHER_SPEC, &one, 1);
                check_refused_as(&sc, e, "ChangeCipherSpec in the clear", LATCH_ERR_BAD_RECORD_MAC,
                                 LATCH_ALERT_BAD_RECORD_MAC, "record/protect12.c");
            }
        }
        scene_free(&sc);
        if (plain) {
            return;
        }
    }
}

/* Each state of the table has a scene above (new states need one). */
static void check_all_states(const latch_hs_table *t, size_t seen, const char *where)
{
    for (size_t st = 0; st < t->n_states; st++) {
        if (!(seen & ((size_t)1 << st))) {
            latch_test_fail(__FILE__, __LINE__, "%s state %s has no dispatch scene: add one to %s", t->role,
                            t->state_names[st], where);
        }
    }
}

typedef struct client_arg {
    uint8_t state;
    int lead;
    bool cr;
} client_arg;

static void make_client(scene *sc, const void *arg)
{
    const client_arg *a = arg;

    client_scene(sc, a->state, a->lead, a->cr);
}

/*
 * TLS 1.2 client scenes: lead counts the messages of the server's first
 * flight (ServerHello, Certificate, ServerKeyExchange, [CertificateRequest,]
 * ServerHelloDone), or the records after the client's flight
 * ([NewSessionTicket,] ChangeCipherSpec, Finished), or those of a resuming
 * server (ServerHello, ChangeCipherSpec, Finished). A server that asks for
 * a certificate issues no ticket; with sessions off, neither.
 *
 * A HelloRequest (type 0) is refused in every handshake state: RFC 5246
 * §7.4.1.1 says a client "currently negotiating a session" ignores one,
 * but latch never renegotiates, so its only handshake is the first one, and
 * a server asks for renegotiation only once it has finished (its Finished
 * has gone out, so the client reads that first).
 */
static const arg12 client12[] = {
    {C12_WAIT_CERT, F12_SERVER_FIRST, 1, LATCH_CLIENT_AUTH_NONE, LATCH_SESSIONS_TICKETS},
    {C12_WAIT_SKE, F12_SERVER_FIRST, 2, LATCH_CLIENT_AUTH_NONE, LATCH_SESSIONS_TICKETS},
    {C12_WAIT_CR_DONE, F12_SERVER_FIRST, 3, LATCH_CLIENT_AUTH_NONE, LATCH_SESSIONS_TICKETS},
    {C12_WAIT_DONE, F12_SERVER_FIRST, 4, LATCH_CLIENT_AUTH_OPTIONAL, LATCH_SESSIONS_TICKETS},
    {C12_WAIT_NST, F12_SERVER_FINISH, 0, LATCH_CLIENT_AUTH_NONE, LATCH_SESSIONS_TICKETS},
    {C12_WAIT_CCS, F12_SERVER_FINISH, 0, LATCH_CLIENT_AUTH_NONE, LATCH_SESSIONS_OFF},
    {C12_WAIT_CCS, F12_SERVER_FINISH, 1, LATCH_CLIENT_AUTH_NONE, LATCH_SESSIONS_TICKETS},
    {C12_WAIT_CCS, F12_SERVER_FINISH, 0, LATCH_CLIENT_AUTH_REQUIRE, LATCH_SESSIONS_TICKETS},
    {C12_WAIT_FINISHED, F12_SERVER_FINISH, 1, LATCH_CLIENT_AUTH_NONE, LATCH_SESSIONS_OFF},
    {C12_WAIT_FINISHED, F12_SERVER_FINISH, 2, LATCH_CLIENT_AUTH_NONE, LATCH_SESSIONS_TICKETS},
    {C12_CONNECTED, F12_SERVER_FINISH, ALL_ITEMS, LATCH_CLIENT_AUTH_NONE, LATCH_SESSIONS_TICKETS},
    {C12_RESUME_WAIT_NST, F12_SERVER_RESUME_NST, 0, LATCH_CLIENT_AUTH_NONE, LATCH_SESSIONS_TICKETS},
    {C12_RESUME_WAIT_CCS, F12_SERVER_RESUME, 1, LATCH_CLIENT_AUTH_NONE, LATCH_SESSIONS_TICKETS},
    {C12_RESUME_WAIT_CCS, F12_SERVER_RESUME, 1, LATCH_CLIENT_AUTH_NONE, LATCH_SESSIONS_CACHE},
    {C12_RESUME_WAIT_FINISHED, F12_SERVER_RESUME, 2, LATCH_CLIENT_AUTH_NONE, LATCH_SESSIONS_TICKETS},
};

/* TLS 1.2 server scenes: lead counts the items of the client's flight
 * ([Certificate,] ClientKeyExchange, [CertificateVerify,] ChangeCipherSpec,
 * Finished), or of a resuming client (ChangeCipherSpec, Finished). */
static const arg12 server12[] = {
    {S12_WAIT_CERT, F12_CLIENT, 0, LATCH_CLIENT_AUTH_REQUIRE, LATCH_SESSIONS_TICKETS},
    {S12_WAIT_CKE, F12_CLIENT, 0, LATCH_CLIENT_AUTH_NONE, LATCH_SESSIONS_TICKETS},
    {S12_WAIT_CKE, F12_CLIENT, 1, LATCH_CLIENT_AUTH_REQUIRE, LATCH_SESSIONS_TICKETS},
    {S12_WAIT_CV, F12_CLIENT, 2, LATCH_CLIENT_AUTH_REQUIRE, LATCH_SESSIONS_TICKETS},
    {S12_WAIT_CCS, F12_CLIENT, 1, LATCH_CLIENT_AUTH_NONE, LATCH_SESSIONS_TICKETS},
    {S12_WAIT_CCS, F12_CLIENT, 3, LATCH_CLIENT_AUTH_REQUIRE, LATCH_SESSIONS_TICKETS},
    {S12_WAIT_FINISHED, F12_CLIENT, 2, LATCH_CLIENT_AUTH_NONE, LATCH_SESSIONS_TICKETS},
    {S12_WAIT_FINISHED, F12_CLIENT, 4, LATCH_CLIENT_AUTH_REQUIRE, LATCH_SESSIONS_TICKETS},
    {S12_CONNECTED, F12_CLIENT, ALL_ITEMS, LATCH_CLIENT_AUTH_NONE, LATCH_SESSIONS_TICKETS},
    {S12_RESUME_WAIT_CCS, F12_CLIENT_RESUME, 0, LATCH_CLIENT_AUTH_NONE, LATCH_SESSIONS_TICKETS},
    {S12_RESUME_WAIT_CCS, F12_CLIENT_RESUME, 0, LATCH_CLIENT_AUTH_NONE, LATCH_SESSIONS_CACHE},
    {S12_RESUME_WAIT_FINISHED, F12_CLIENT_RESUME, 1, LATCH_CLIENT_AUTH_NONE, LATCH_SESSIONS_TICKETS},
};

static void test_client_refuses_unexpected(void)
{
    static const client_arg states[] = {
        {C_WAIT_SH, -2, false},        {C13_WAIT_EE, 0, false},       {C13_WAIT_CERT_CR, 1, false},
        {C13_WAIT_CERT, 2, true},      {C13_WAIT_CV, 2, false},       {C13_WAIT_FINISHED, 3, false},
        {C13_CONNECTED, -1, false},
    };
    size_t states_seen = 0;

    for (size_t i = 0; i < N(states); i++) {
        size_t n = refuse_all(make_client, &states[i], &latch__client_table, states[i].state);

        CHECK(n >= N(all_types) - 3);
        states_seen |= (size_t)1 << states[i].state;
    }
    for (size_t i = 0; i < N(client12); i++) {
        size_t n = refuse_all(make12, &client12[i], &latch__client_table, client12[i].state);

        CHECK(n >= N(all_types) - 3);
        refuse_ccs(make12, &client12[i], &latch__client_table, client12[i].state);
        states_seen |= (size_t)1 << client12[i].state;
    }
    /* Every state where a client receives (START receives nothing: the
     * ClientHello is built before any input is processed). */
    check_all_states(&latch__client_table, states_seen | (1u << C_START), "test_client_refuses_unexpected");
}

typedef struct server_arg {
    int kind; /* 0 start, 1 ch2, 2 eoed, 3 main handshake, 4 connected, 5 pha */
    uint8_t state;
    size_t lead;
    latch_client_auth auth;
} server_arg;

static void make_server(scene *sc, const void *arg)
{
    const server_arg *a = arg;

    switch (a->kind) {
    case 0: server_start_scene(sc); break;
    case 1: server_ch2_scene(sc); break;
    case 2: server_eoed_scene(sc); break;
    case 3: server_scene(sc, a->state, a->lead, a->auth); break;
    case 4: server_connected_scene(sc); break;
    default: server_pha_scene(sc, a->state, a->lead); break;
    }
}

static void test_server_refuses_unexpected(void)
{
    static const server_arg states[] = {
        {0, S_START, 0, LATCH_CLIENT_AUTH_NONE},
        {1, S13_WAIT_CH2, 0, LATCH_CLIENT_AUTH_NONE},
        {2, S13_WAIT_EOED, 0, LATCH_CLIENT_AUTH_NONE},
        {3, S13_WAIT_CERT, 0, LATCH_CLIENT_AUTH_REQUIRE},
        {3, S13_WAIT_CV, 1, LATCH_CLIENT_AUTH_REQUIRE},
        {3, S13_WAIT_FINISHED, 0, LATCH_CLIENT_AUTH_NONE},
        {3, S13_WAIT_FINISHED, 2, LATCH_CLIENT_AUTH_OPTIONAL},
        {4, S13_CONNECTED, 0, LATCH_CLIENT_AUTH_NONE},
        {5, S13_PHA_WAIT_CERT, 0, LATCH_CLIENT_AUTH_NONE},
        {5, S13_PHA_WAIT_CV, 1, LATCH_CLIENT_AUTH_NONE},
        {5, S13_PHA_WAIT_FINISHED, 2, LATCH_CLIENT_AUTH_NONE},
    };
    size_t states_seen = 0;

    for (size_t i = 0; i < N(states); i++) {
        size_t n = refuse_all(make_server, &states[i], &latch__server_table, states[i].state);

        CHECK(n >= N(all_types) - 3);
        states_seen |= (size_t)1 << states[i].state;
    }
    for (size_t i = 0; i < N(server12); i++) {
        size_t n = refuse_all(make12, &server12[i], &latch__server_table, server12[i].state);

        CHECK(n >= N(all_types) - 3);
        refuse_ccs(make12, &server12[i], &latch__server_table, server12[i].state);
        states_seen |= (size_t)1 << server12[i].state;
    }
    check_all_states(&latch__server_table, states_seen, "test_server_refuses_unexpected");
}

/* The same scenes, given the real messages that follow, complete: the
 * refusals above come from the table, not from a broken driver. */
static void accepts_rest(scene *sc, uint8_t done)
{
    REQUIRE(sc->ok && scene_lead(sc));
    REQUIRE(sc->rest.n > 0);
    CHECK_OK(feed_sealed(sc->victim, &sc->seal, sc->rest.b, sc->rest.n));
    CHECK_EQ(sc->victim->state, done);
    CHECK(latch_conn_state(sc->victim) & LATCH_STATE_HANDSHAKE_DONE);
}

/* TLS 1.2: the peer's remaining records as it sent them; then the pair
 * finishes (the victim's answer reaches the peer) and carries data. */
static void accepts_rest12(scene *sc, uint8_t done)
{
    size_t used = 0;

    REQUIRE(sc->ok && scene_lead(sc));
    REQUIRE(sc->rest.n > 0);
    CHECK_OK(latch_conn_feed(sc->victim, sc->rest.b, sc->rest.n, &used));
    CHECK_EQ(used, sc->rest.n);
    if (sc->peer != NULL) {
        CHECK_OK(tpair_handshake(&sc->p));
        CHECK_EQ(tpair_roundtrip(sc->p.c, sc->p.s, (const uint8_t *)"after", 5), 0);
        CHECK_EQ(tpair_roundtrip(sc->p.s, sc->p.c, (const uint8_t *)"after", 5), 0);
    }
    CHECK_EQ(sc->victim->state, done);
    CHECK(latch_conn_state(sc->victim) & LATCH_STATE_HANDSHAKE_DONE);
    CHECK_EQ(latch_conn_version(sc->victim), LATCH_TLS12);
}

static void test_scenes_accept_expected(void)
{
    static const client_arg cl[] = {
        {C13_WAIT_EE, 0, false}, {C13_WAIT_CERT_CR, 1, false}, {C13_WAIT_CERT, 2, true},
        {C13_WAIT_CV, 2, false}, {C13_WAIT_FINISHED, 3, false},
    };
    static const server_arg sv[] = {
        {3, S13_WAIT_CERT, 0, LATCH_CLIENT_AUTH_REQUIRE},  {3, S13_WAIT_CV, 1, LATCH_CLIENT_AUTH_REQUIRE},
        {3, S13_WAIT_FINISHED, 0, LATCH_CLIENT_AUTH_NONE}, {3, S13_WAIT_FINISHED, 2, LATCH_CLIENT_AUTH_OPTIONAL},
        {5, S13_PHA_WAIT_CERT, 0, LATCH_CLIENT_AUTH_NONE}, {5, S13_PHA_WAIT_CV, 1, LATCH_CLIENT_AUTH_NONE},
        {5, S13_PHA_WAIT_FINISHED, 2, LATCH_CLIENT_AUTH_NONE},
    };
    scene sc;

    for (size_t i = 0; i < N(cl); i++) {
        make_client(&sc, &cl[i]);
        accepts_rest(&sc, C13_CONNECTED);
        scene_free(&sc);
    }
    for (size_t i = 0; i < N(sv); i++) {
        make_server(&sc, &sv[i]);
        accepts_rest(&sc, S13_CONNECTED);
        if (sv[i].kind == 5) {
            CHECK_OK(latch_conn_verify_result(sc.victim)); /* the client's certificate, after the handshake */
        }
        scene_free(&sc);
    }
    for (size_t i = 0; i < N(client12); i++) {
        if (client12[i].state == C12_CONNECTED) {
            continue;
        }
        make12(&sc, &client12[i]);
        accepts_rest12(&sc, C12_CONNECTED);
        CHECK_EQ(latch_conn_resumed(sc.victim), client12[i].flight == F12_SERVER_RESUME ||
                                                    client12[i].flight == F12_SERVER_RESUME_NST);
        if (client12[i].flight == F12_SERVER_RESUME_NST) {
            /* The renewed ticket replaced the old one in the session. */
            uint8_t sess[8192];
            size_t n = 0;
            latch_session s;

            REQUIRE_OK(latch_conn_session(sc.victim, sess, sizeof sess, &n));
            REQUIRE_OK(latch_session_decode(latch_rd_make(sess, n), &s));
            CHECK_MEM(s.ticket, s.ticket_len, nst12_ticket, sizeof nst12_ticket);
            latch_session_wipe(&s);
        }
        scene_free(&sc);
    }
    for (size_t i = 0; i < N(server12); i++) {
        if (server12[i].state == S12_CONNECTED) {
            continue;
        }
        make12(&sc, &server12[i]);
        accepts_rest12(&sc, S12_CONNECTED);
        CHECK_EQ(latch_conn_resumed(sc.victim), server12[i].flight == F12_CLIENT_RESUME);
        if (server12[i].auth != LATCH_CLIENT_AUTH_NONE) {
            CHECK_OK(latch_conn_verify_result(sc.victim));
        }
        scene_free(&sc);
    }
}

/* The edges of the TLS 1.2 connected states are taken: a client answers a
 * HelloRequest with a no_renegotiation warning and goes on (RFC 5746 §4.2);
 * a server refuses a new ClientHello in its handler, with no_renegotiation
 * (RFC 5746 §4.4), not through the table. */
static void test_connected12_edges(void)
{
    static const uint8_t hello_request[] = {LATCH_HS_HELLO_REQUEST, 0, 0, 0};
    static const uint8_t client_hello[] = {LATCH_HS_CLIENT_HELLO, 0, 0, 0};
    scene sc;

    make12(&sc, &client12[N(client12) - 5]);
    REQUIRE(sc.want_state == C12_CONNECTED && sc.ok && scene_lead(&sc));
    CHECK_OK(feed_sealed(sc.victim, &sc.seal, hello_request, sizeof hello_request));
    CHECK_EQ(sc.victim->state, C12_CONNECTED);
    CHECK(!(latch_conn_state(sc.victim) & LATCH_STATE_FAILED));
    CHECK_OK(tpump(sc.p.c, sc.p.s)); /* the warning: the server reads it and goes on */
    CHECK_EQ(tpair_roundtrip(sc.p.c, sc.p.s, (const uint8_t *)"still", 5), 0);
    scene_free(&sc);

    make12(&sc, &server12[N(server12) - 4]);
    REQUIRE(sc.want_state == S12_CONNECTED && sc.ok && scene_lead(&sc));
    CHECK_ERR(feed_sealed(sc.victim, &sc.seal, client_hello, sizeof client_hello), LATCH_ERR_RENEGOTIATION_REFUSED);
    CHECK_EQ(latch_conn_error(sc.victim)->alert, LATCH_ALERT_NO_RENEGOTIATION);
    CHECK(strstr(latch_conn_error(sc.victim)->file, "hs/server12.c") != NULL);
    scene_free(&sc);
}

/* Step 2: a message that changes keys must end its record. */
static void test_record_boundary(void)
{
    bytes flight, msgs;
    latch_rec_dir open, seal;
    uint8_t last = 0, buf[20000];
    size_t n;
    scene sc;

    /* Client: the server's Finished followed by a KeyUpdate in the same record. */
    scene_configs(&sc, false, LATCH_CLIENT_AUTH_NONE);
    REQUIRE_OK(tpair_new(&sc.p, sc.cc, sc.sc, "localhost"));
    REQUIRE_OK(tpump(sc.p.c, sc.p.s));
    take_output(sc.p.s, &flight);
    REQUIRE_OK(feed_records(sc.p.c, &flight, 0, 2));
    REQUIRE(dir_from(&open, secret_of(&sc.keys, "SERVER_HANDSHAKE_TRAFFIC_SECRET"), false));
    REQUIRE(open_flight(&open, &flight, &msgs));
    latch_rec_dir_clear(&open);
    n = prefix_len(&msgs, 4, &last);
    REQUIRE(last == LATCH_HS_FINISHED && n == msgs.n);
    memcpy(buf, msgs.b, n);
    memcpy(buf + n, "\x18\x00\x00\x01\x00", 5); /* a KeyUpdate after Finished, same record */
    REQUIRE(dir_from(&seal, secret_of(&sc.keys, "SERVER_HANDSHAKE_TRAFFIC_SECRET"), true));
    CHECK_ERR(feed_sealed(sc.p.c, &seal, buf, n + 5), LATCH_ERR_NOT_ON_RECORD_BOUNDARY);
    CHECK_EQ(latch_conn_error(sc.p.c)->alert, LATCH_ALERT_UNEXPECTED_MESSAGE);
    CHECK(strstr(latch_conn_error(sc.p.c)->file, "hs/machine.c") != NULL);
    CHECK_EQ(sc.p.c->state, C13_WAIT_FINISHED);
    latch_rec_dir_clear(&seal);
    scene_free(&sc);

    /* Client: ServerHello and EncryptedExtensions in one plaintext record.
     * The key change after ServerHello finds bytes left (checked where the
     * keys are installed). */
    scene_configs(&sc, false, LATCH_CLIENT_AUTH_NONE);
    REQUIRE_OK(tpair_new(&sc.p, sc.cc, sc.sc, "localhost"));
    REQUIRE_OK(tpump(sc.p.c, sc.p.s));
    take_output(sc.p.s, &flight);
    {
        size_t off, len;

        REQUIRE(record_at(&flight, 0, &off, &len) && flight.b[off] == LATCH_CT_HANDSHAKE);
        memcpy(buf, flight.b + off + 5, len - 5);
        memcpy(buf + len - 5, "\x08\x00\x00\x02\x00\x00", 6); /* an empty EncryptedExtensions */
        CHECK_ERR(feed_plain(sc.p.c, buf, len - 5 + 6), LATCH_ERR_NOT_ON_RECORD_BOUNDARY);
        CHECK_EQ(latch_conn_error(sc.p.c)->alert, LATCH_ALERT_UNEXPECTED_MESSAGE);
    }
    scene_free(&sc);

    /* Server: the client's Finished with a KeyUpdate behind it, one record. */
    server_scene(&sc, S13_WAIT_FINISHED, 0, LATCH_CLIENT_AUTH_NONE);
    REQUIRE(sc.ok && scene_lead(&sc));
    REQUIRE(sc.rest.n > 4 && sc.rest.b[0] == LATCH_HS_FINISHED);
    memcpy(buf, sc.rest.b, sc.rest.n);
    memcpy(buf + sc.rest.n, "\x18\x00\x00\x01\x00", 5);
    CHECK_ERR(feed_sealed(sc.p.s, &sc.seal, buf, sc.rest.n + 5), LATCH_ERR_NOT_ON_RECORD_BOUNDARY);
    CHECK_EQ(latch_conn_error(sc.p.s)->alert, LATCH_ALERT_UNEXPECTED_MESSAGE);
    CHECK_EQ(sc.p.s->state, S13_WAIT_FINISHED);
    scene_free(&sc);

    /* Connected: a KeyUpdate that does not end its record. */
    client_scene(&sc, C13_CONNECTED, -1, false);
    REQUIRE(sc.ok && scene_lead(&sc));
    CHECK_ERR(feed_sealed(sc.p.c, &sc.seal, (const uint8_t *)"\x18\x00\x00\x01\x00\x18\x00\x00\x01\x00", 10),
              LATCH_ERR_NOT_ON_RECORD_BOUNDARY);
    scene_free(&sc);
}

/* A message split over several records is dispatched once, whole. */
static void test_fragmented_message(void)
{
    bytes flight, msgs;
    latch_rec_dir open, seal;
    uint8_t last = 0;
    size_t n;
    scene sc;

    scene_configs(&sc, false, LATCH_CLIENT_AUTH_NONE);
    REQUIRE_OK(tpair_new(&sc.p, sc.cc, sc.sc, "localhost"));
    REQUIRE_OK(tpump(sc.p.c, sc.p.s));
    take_output(sc.p.s, &flight);
    REQUIRE_OK(feed_records(sc.p.c, &flight, 0, 2));
    REQUIRE(dir_from(&open, secret_of(&sc.keys, "SERVER_HANDSHAKE_TRAFFIC_SECRET"), false));
    REQUIRE(open_flight(&open, &flight, &msgs));
    latch_rec_dir_clear(&open);
    REQUIRE(dir_from(&seal, secret_of(&sc.keys, "SERVER_HANDSHAKE_TRAFFIC_SECRET"), true));
    /* The whole flight, one byte per record up to the end of the Certificate. */
    n = prefix_len(&msgs, 2, &last);
    REQUIRE(last == LATCH_HS_CERTIFICATE);
    for (size_t i = 0; i < n; i++) {
        REQUIRE_OK(feed_sealed(sc.p.c, &seal, msgs.b + i, 1));
        CHECK_EQ(sc.p.c->state, i + 1 < prefix_len(&msgs, 1, &last) ? C13_WAIT_EE
                                : i + 1 < n                         ? C13_WAIT_CERT_CR
                                                                    : C13_WAIT_CV);
    }
    /* The rest in one record: the handshake completes. */
    REQUIRE_OK(feed_sealed(sc.p.c, &seal, msgs.b + n, msgs.n - n));
    CHECK_EQ(sc.p.c->state, C13_CONNECTED);
    CHECK(latch_conn_state(sc.p.c) & LATCH_STATE_HANDSHAKE_DONE);
    latch_rec_dir_clear(&seal);
    scene_free(&sc);
}

/* The API transitions of the diagram: a client enters WAIT_SH when its
 * ClientHello is built (first output), not before. */
static void test_api_transitions(void)
{
    latch_config *cc = tcfg_client(LATCH_KEY_ECDSA_P256), *sc = tcfg_server(LATCH_KEY_ECDSA_P256);
    const uint8_t *d;
    size_t n;
    latch_conn *c, *s;

    REQUIRE_OK(latch_conn_new_client(cc, "localhost", &c));
    CHECK_EQ(c->state, C_START);
    REQUIRE_OK(latch_conn_output(c, &d, &n));
    CHECK(n > 0);
    CHECK_EQ(c->state, C_WAIT_SH);
    CHECK(strcmp(latch__hs_state_name(c, c->state), "WAIT_SH") == 0);
    CHECK(strcmp(latch__hs_state_name(c, 200), "?") == 0);
    REQUIRE_OK(latch_conn_new_server(sc, &s));
    CHECK_EQ(s->state, S_START);
    CHECK(latch__hs_table(s) == &latch__server_table);
    CHECK(latch__hs_table(c) == &latch__client_table);
    latch_conn_free(c);
    latch_conn_free(s);
    latch_config_free(cc);
    latch_config_free(sc);
}

static const latch_test cases[] = {
    TEST(test_edges_well_formed),
    TEST(test_end_of_record_flags),
    TEST(test_reachable_and_terminating),
    TEST(test_checks_catch_bad_tables),
    TEST(test_edges_match_rfc),
    TEST(test_dot_rendering),
    TEST(test_doc_up_to_date),
    TEST(test_api_transitions),
    TEST(test_client_refuses_unexpected),
    TEST(test_server_refuses_unexpected),
    TEST(test_scenes_accept_expected),
    TEST(test_connected12_edges),
    TEST(test_record_boundary),
    TEST(test_fragmented_message),
    {0},
};

int main(int argc, char **argv)
{
    if (argc == 2 && (strcmp(argv[1], "--dot") == 0 || strcmp(argv[1], "--markdown") == 0)) {
        text b = {0};

        if (argv[1][2] == 'd') {
            for (size_t r = 0; r < N(roles); r++) {
                render_dot(&b, &roles[r]);
            }
        } else {
            render_markdown(&b);
        }
        fputs(b.p, stdout);
        free(b.p);
        return 0;
    }
    return latch_test_run(cases, argc, argv);
}
