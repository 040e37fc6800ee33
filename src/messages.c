#include "messages.h"

#include <string.h>

typedef struct {
    const char *key;
    const char *en;
    const char *ja;
} badge_message_t;

static const badge_message_t badge_status_labels[] = {
    { "verified",     "VERIFIED",     "検証済み" },
    { "revoked",      "REVOKED",      "失効" },
    { "suspended",    "SUSPENDED",    "一時停止中" },
    { "expired",      "EXPIRED",      "有効期限切れ" },
    { "not_verified", "NOT VERIFIED", "検証できません" },
    { NULL, NULL, NULL }
};

static const badge_message_t badge_check_labels[] = {
    { "input",       "Input",        "入力" },
    { "format",      "Format",       "形式" },
    { "schema",      "Structure",    "構造" },
    { "signature",   "Signature",    "署名" },
    { "proof",       "Proof",        "証明" },
    { "key",         "Key",          "鍵" },
    { "issuer",      "Issuer",       "発行者" },
    { "validity",    "Validity",     "有効期間" },
    { "status",      "Status",       "失効状態" },
    { "recipient",   "Recipient",    "受領者" },
    { "claims",      "JWT claims",   "JWTクレーム" },
    { "context",     "Context",      "コンテキスト" },
    { "hosted",      "Hosted copy",  "ホスト版" },
    { "endorsement", "Endorsement",  "推薦" },
    { "credential",  "Credential",   "資格情報" },
    { "presentation", "Presentation", "提示" },
    { "credentials", "Credentials",  "資格情報一覧" },
    { "refresh",     "Refresh",      "更新サービス" },
    { NULL, NULL, NULL }
};

static const char *
badge_message_lookup(const badge_message_t *t, const char *key, int ja)
{
    for (; t->key != NULL; t++) {
        if (strcmp(t->key, key) == 0) {
            return ja ? t->ja : t->en;
        }
    }
    return key;
}

const char *
badge_message_status_label(const char *status, int ja)
{
    return badge_message_lookup(badge_status_labels, status, ja);
}

const char *
badge_message_check_label(const char *check, int ja)
{
    return badge_message_lookup(badge_check_labels, check, ja);
}
