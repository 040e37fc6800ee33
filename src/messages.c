/*
 * messages.c: interface words (status and check labels) in English and
 * Japanese, and the Japanese sentence for each report code.
 */
#include "messages.h"

#include <stdlib.h>
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

/*
 * The Japanese sentence of each report code, sorted by code (strcmp
 * order: the lookup is a binary search).  Plain, short UI Japanese.  The
 * English message of the report stays what the JSON report says, and is
 * shown beside the sentence unless the entry is marked "alone" (see
 * messages.h).  t/unit/test_messages.c fails when a code written in src/
 * has no entry here, when an entry is used nowhere, when the table is out
 * of order, or when "alone" is set on a code whose messages vary.
 */
static const badge_code_text_t badge_code_texts[] = {
    { "achievement_missing",
      "credentialSubjectに達成内容（achievement）"
      "がありません（オープンバッジ3.0では必須です）。", 1 },
    { "alg_forbidden",
      "このアルゴリズムは署名として受け付けません（共有鍵によるMAC"
      "など）。", 0 },
    { "alg_key_mismatch", "署名アルゴリズムが鍵の種類と合いません。", 0 },
    { "alg_missing", "署名アルゴリズムが指定されていません。", 0 },
    { "alg_none",
      "署名のないトークン（alg \"none\"）です。受け付けません。", 1 },
    { "alg_unsupported",
      "対応していない署名アルゴリズムのため、"
      "署名を確認できませんでした。", 0 },
    { "bake_check_failed",
      "作成した画像から、埋め込んだ資格情報を正しく読み戻せません。", 0 },
    { "bake_not_image", "PNGまたはSVGの画像ではありません。", 0 },
    { "bake_payload_invalid",
      "画像に埋め込む資格情報が正しくありません。", 0 },
    { "bake_png_invalid", "PNG画像の構造が正しくありません。", 0 },
    { "bake_svg_entities",
      "SVG画像に実体（エンティティ）宣言があるため、使えません。", 0 },
    { "bake_svg_invalid", "SVG画像の形式が正しくありません。", 0 },
    { "bake_too_large", "画像が大きすぎます。", 0 },
    { "baked", "資格情報が埋め込まれたバッジ画像です。", 0 },
    { "baked_ambiguous",
      "画像に複数の資格情報が埋め込まれているため、"
      "どれを検証すべきか決められません。", 0 },
    { "baked_inflate_failed",
      "画像に埋め込まれた圧縮データが壊れています。", 0 },
    { "baked_none",
      "画像にオープンバッジの資格情報が埋め込まれていません。", 0 },
    { "baked_not_image", "PNGまたはSVGの画像ではありません。", 0 },
    { "baked_payload_invalid",
      "バッジ画像に埋め込まれたデータを資格情報として読めません。", 0 },
    { "baked_png_bad_crc",
      "PNG画像のチェックサム（CRC）が合いません。画像が壊れています。", 0 },
    { "baked_png_chunk_too_large",
      "PNG画像のデータ区画（チャンク）が大きすぎます。", 0 },
    { "baked_png_malformed", "PNG画像の構造が正しくありません。", 0 },
    { "baked_png_truncated", "PNG画像が途中で切れています。", 0 },
    { "baked_svg_entities",
      "SVG画像に実体（エンティティ）宣言があるため、読み込みません。", 0 },
    { "baked_svg_invalid", "SVG画像の形式が正しくありません。", 0 },
    { "baked_text_too_large", "画像に埋め込まれたデータが大きすぎます。", 0 },
    { "baked_too_large", "画像が大きすぎます。", 0 },
    { "challenge_mismatch",
      "証明のチャレンジ（challenge）が、指定したものと一致しません。", 0 },
    { "challenge_unchecked",
      "チャレンジ（challenge）の指定がないため、"
      "この提示は使い回されたものかもしれません。", 1 },
    { "claim_exp_mismatch",
      "expクレームが資格情報の有効期限と一致しません。", 0 },
    { "claim_exp_missing",
      "資格情報には有効期限がありますが、expクレームがありません。", 1 },
    { "claim_invalid", "JWTのクレームの形式が正しくありません。", 0 },
    { "claim_iss_mismatch", "issクレームが発行者と一致しません。", 0 },
    { "claim_iss_missing",
      "issクレームがありません（VC-JWT 1.1では必須です）。", 1 },
    { "claim_jti_mismatch", "jtiクレームが資格情報のidと一致しません。", 0 },
    { "claim_jti_missing", "資格情報のidを示すjtiクレームがありません。", 1 },
    { "claim_nbf_mismatch",
      "nbfクレームが資格情報の有効開始日時と一致しません。", 0 },
    { "claim_nbf_missing",
      "nbfクレームがありません（VC-JWT 1.1では必須です）。", 1 },
    { "claim_sub_mismatch", "subクレームが対象者のidと一致しません。", 0 },
    { "claim_sub_missing", "対象者を示すsubクレームがありません。", 1 },
    { "claims_match", "JWTのクレームは資格情報の内容と一致しています。", 0 },
    { "context_invalid",
      "最初の@contextが、VC 1.1または2.0のコンテキストではありません。", 0 },
    { "context_valid", "すべての項目が署名の対象になっています。", 0 },
    { "credential_invalid",
      "提示に含まれる資格情報が、JSONオブジェクトでもJWTでもありません。", 0 },
    { "credential_not_verified",
      "検証できなかった資格情報が含まれています。", 0 },
    { "credential_schema_unchecked",
      "credentialSchemaによるJSON Schemaの検証は行っていません。", 0 },
    { "credentials_verified", "含まれる資格情報はすべて検証できました。", 0 },
    { "crit_unsupported",
      "ヘッダーに、解釈できない必須（crit）拡張が指定されています。", 1 },
    { "cryptosuite_deprecated",
      "eddsa-2022はeddsa-rdfc-2022の草案段階の名称です（eddsa-rdfc-2022として"
      "検証しました）。", 1 },
    { "cryptosuite_unsupported", "対応していない暗号スイートです。", 0 },
    { "date_invalid", "日時の形式が正しくありません。", 0 },
    { "did_controller_mismatch", "鍵が、そのDIDの管理下にありません。", 0 },
    { "did_document_invalid", "DID文書が正しくありません。", 0 },
    { "did_invalid", "DIDの形式が正しくありません。", 0 },
    { "did_method_not_authorized",
      "この鍵は、この用途に使うことを認められていません。", 0 },
    { "did_method_not_found",
      "DID文書に、指定された鍵（検証方法）がありません。", 0 },
    { "did_method_unsupported", "対応していないDIDの方式です。", 0 },
    { "domain_mismatch",
      "証明のドメイン（domain）が、指定したものと一致しません。", 0 },
    { "endorsement_invalid", "推薦が資格情報として読めません。", 0 },
    { "endorsement_reference",
      "推薦は参照されているだけで取得していないため、確認していません。", 0 },
    { "endorsement_subject", "推薦の対象を確認しました。", 0 },
    { "endorsement_subject_mismatch",
      "推薦の対象が、この推薦を含む資格情報と一致しません。", 0 },
    { "endorsement_type_invalid",
      "推薦はEndorsementCredentialでなければなりません。", 1 },
    { "endorsements_limited",
      "推薦が多いため、最初のいくつかだけを検証しました。", 0 },
    { "enveloped_unsupported",
      "提示に含まれるEnvelopedVerifiableCredential（data: URL）の検証には、"
      "まだ対応していません。", 1 },
    { "expired", "有効期限が切れています。", 0 },
    { "fetch_failed", "必要な文書を取得できませんでした。", 0 },
    { "fetch_http_error", "必要な文書の取得先がエラーを返しました。", 0 },
    { "fetch_limit",
      "取得が必要な文書が多すぎるため、取得しませんでした。", 0 },
    { "file_unreadable", "ファイルを読み込めません。", 0 },
    { "file_unwritable", "ファイルに書き込めません。", 0 },
    { "form_bad_encoding",
      "フォームのデータが壊れています（%エンコードまたはmultipartの区"
      "切り）。", 1 },
    { "form_no_credential",
      "フォームに資格情報（credential）の欄がありません。", 1 },
    { "format_unsupported", "対応していない形式のため、検証できません。", 0 },
    { "gzip_failed", "ステータスリストを圧縮できませんでした。", 0 },
    { "hash_error", "ハッシュ値を計算できませんでした。", 0 },
    { "holder_missing",
      "提示に保持者（holder）が記載されていないため、"
      "鍵が誰のものかは示されていません。", 1 },
    { "id_invalid", "資格情報のidが文字列ではありません。", 1 },
    { "input_empty", "検証する内容がありません（入力が空です）。", 0 },
    { "input_not_credential",
      "オープンバッジのアサーションではありません。", 0 },
    { "input_not_object",
      "JSONがオブジェクトではないため、資格情報として読めません。", 0 },
    { "input_too_large", "入力が大きすぎるため、検証できません。", 0 },
    { "input_unrecognized",
      "入力はJSON、JWT、PNG・SVGのバッジ画像のいずれでもありません。", 1 },
    { "internal_error",
      "サーバーの内部エラー（メモリ不足）のため、"
      "検証を実行できませんでした。", 1 },
    { "issuance_date_missing",
      "VC 1.1の資格情報には発行日（issuanceDate）が必要ですが、"
      "ありません。", 1 },
    { "issuer_invalid", "発行者（issuer）に、URI形式のidがありません。", 0 },
    { "issuer_key_unbound",
      "発行者は信頼済みですが、署名した鍵が発行者のものであることを確"
      "認できません。", 0 },
    { "issuer_missing", "資格情報に発行者（issuer）がありません。", 0 },
    { "issuer_trusted", "信頼する発行者として設定されています。", 0 },
    { "issuer_unauthenticated",
      "資格情報が認証されていないため、発行者は確認していません。", 1 },
    { "issuer_unknown", "信頼する発行者として設定されていません。", 0 },
    { "jcs_invalid", "JSONを正規化（JCS）できませんでした。", 0 },
    { "json_invalid", "JSONとして読めません（構文の誤り）。", 0 },
    { "json_too_deep", "JSONの入れ子が深すぎます。", 0 },
    { "jsonld_*", "JSON-LDとして処理できません。", 0 },
    { "jsonld_context_not_bundled",
      "このサーバーに同梱されていない@contextのため、"
      "読み取れません（コンテキストは外部から取得しません）。", 0 },
    { "jws_alg_missing",
      "JWSのヘッダーに署名アルゴリズム（alg）がありません。", 0 },
    { "jws_base64", "JWSの一部が正しいbase64url形式ではありません。", 0 },
    { "jws_crit_unsupported",
      "JWSに、この検証システムが解釈できない必須（crit）"
      "ヘッダーがあります。", 1 },
    { "jws_header_invalid", "JWSのヘッダーが正しくありません。", 0 },
    { "jws_header_too_large", "JWSのヘッダーが大きすぎます。", 0 },
    { "jws_malformed", "JWSの形式が正しくありません。", 0 },
    { "jws_payload_invalid",
      "JWSの中身（ペイロード）がJSONオブジェクトではありません。", 0 },
    { "jwt_not_credential",
      "JWTに資格情報が含まれていません（vcクレームも@contextもありま"
      "せん）。", 1 },
    { "jwt_payload_invalid",
      "JWTの中身（ペイロード）がJSONオブジェクトではありません。", 0 },
    { "jwt_vc_invalid", "JWTのvcクレームがオブジェクトではありません。", 1 },
    { "key_controller", "鍵の持ち主（コントローラー）を確認しました。", 0 },
    { "key_embedded",
      "鍵がトークン内（jwkヘッダー）に埋め込まれています。"
      "この鍵で署名されたことはわかりますが、"
      "発行者が誰かは示されません。", 1 },
    { "key_invalid", "鍵が正しくないか、読み取れません。", 0 },
    { "key_issuer", "発行者の鍵です。", 0 },
    { "key_missing", "鍵がないため、署名を確認できませんでした。", 0 },
    { "key_not_found",
      "署名に使われた鍵が見つからないため、確認できませんでした。", 0 },
    { "key_not_issuer", "鍵が発行者のものではありません。", 0 },
    { "key_not_private", "署名に使える秘密鍵ではありません。", 0 },
    { "key_trusted", "信頼する鍵として設定されている鍵です。", 0 },
    { "key_type_mismatch", "鍵の種類が署名方式と合いません。", 0 },
    { "key_unresolvable",
      "発行者の鍵を取得できなかったため、確認できませんでした。", 0 },
    { "key_unsupported", "対応していない種類の鍵です。", 0 },
    { "ldp", "JSON-LD形式の資格情報です。", 0 },
    { "lock_failed", "ファイルをロックできませんでした。", 0 },
    { "method_not_allowed",
      "この方式のリクエストには対応していません。"
      "資格情報はPOSTで送ってください。", 1 },
    { "no_credential", "資格情報が提示されていません。", 1 },
    { "no_credentials", "提示に資格情報が含まれていません。", 1 },
    { "not_authenticated",
      "資格情報自体が認証されていないため、確認済みとしては扱いません。", 0 },
    { "not_yet_valid", "有効期間がまだ始まっていません。", 0 },
    { "nquads_syntax", "N-Quadsの構文が正しくありません。", 0 },
    { "nquads_too_large", "N-Quadsのデータが大きすぎます。", 0 },
    { "ob2_badgeclass_invalid",
      "バッジの定義（BadgeClass）が正しくありません。", 0 },
    { "ob2_context_invalid",
      "@contextがオープンバッジ2.0のものではありません。", 0 },
    { "ob2_creator_missing",
      "署名付きアサーションに、鍵の指定（verification.creator）"
      "がありません。", 1 },
    { "ob2_date_invalid", "日付がISO 8601形式ではありません。", 0 },
    { "ob2_document_invalid",
      "取得した文書がJSONオブジェクトではありません。", 0 },
    { "ob2_endorsement_claim_mismatch",
      "推薦の対象が、推薦を載せているバッジの項目と一致しません。", 0 },
    { "ob2_endorsement_invalid",
      "推薦の文書が正しくないか、取得元のURLがありません。", 0 },
    { "ob2_endorsement_revoked", "推薦者によって取り消された推薦です。", 0 },
    { "ob2_endorsement_signed",
      "署名付きのオープンバッジ2.0の推薦は検証していません。", 0 },
    { "ob2_expired", "有効期限が切れています。", 0 },
    { "ob2_expires_before_issued",
      "有効期限が発行日より前になっています。", 0 },
    { "ob2_file_invalid",
      "公開するファイルがJSONオブジェクトではありません。", 0 },
    { "ob2_hosted", "発行者のサイトで、このアサーションを確認しました。", 0 },
    { "ob2_hosted_id_invalid",
      "公開型アサーションのidが、http(s)のURLではありません。", 0 },
    { "ob2_hosted_mismatch",
      "提示されたアサーションが、発行者のサイトで公開されているものと"
      "異なります。", 0 },
    { "ob2_hosted_no_scope",
      "発行者にHTTPのホストがないため、"
      "アサーションの公開場所を確認できません。", 0 },
    { "ob2_hosted_out_of_scope",
      "アサーションが、発行者の認める場所で公開されていません。", 0 },
    { "ob2_issued_in_future", "発行日が未来の日付になっています。", 0 },
    { "ob2_issuer_id_not_http", "発行者のidがHTTPのURLではありません。", 0 },
    { "ob2_issuer_invalid", "発行者のプロフィールが正しくありません。", 0 },
    { "ob2_key_configured", "信頼する鍵として設定されている鍵です。", 0 },
    { "ob2_key_id_mismatch",
      "取得した鍵の文書が、別のidを名乗っています。", 0 },
    { "ob2_key_invalid", "鍵の文書が正しくないか、使えない鍵です。", 0 },
    { "ob2_key_issuer",
      "鍵は発行者のもので、発行者のプロフィールにも掲載されています。", 1 },
    { "ob2_key_not_listed",
      "発行者のプロフィールに、この鍵が掲載されていません。", 0 },
    { "ob2_key_owner_mismatch",
      "鍵の所有者が、バッジの発行者ではありません。", 0 },
    { "ob2_missing_property", "アサーションに必須の項目がありません。", 0 },
    { "ob2_no_revocation_list", "発行者は失効リストを公開していません。", 1 },
    { "ob2_not_assertion",
      "個人に授与されたバッジ（アサーション）ではないため、"
      "検証する対象がありません。", 0 },
    { "ob2_not_revoked", "発行者によって失効されていません。", 0 },
    { "ob2_recipient_invalid",
      "受領者（recipient）の情報が正しくありません。", 0 },
    { "ob2_redirected", "取得したURLと、文書が名乗るidが異なります。", 0 },
    { "ob2_revocation_list_invalid", "失効リストが正しくありません。", 0 },
    { "ob2_revoked", "発行者によって失効されています。", 0 },
    { "ob2_signature", "署名は有効です。", 0 },
    { "ob2_signature_invalid",
      "署名が無効です（改ざんされているか、別の鍵による署名です）。", 0 },
    { "ob2_signed_json",
      "署名付きバッジです。JSONだけでは何も証明できないため、"
      "署名された形式（JWS）で検証してください。", 1 },
    { "ob2_signed_unsupported",
      "署名付きのオープンバッジ2.0アサーションには、"
      "まだ対応していません。", 1 },
    { "ob2_type_invalid", "typeが\"Assertion\"ではありません。", 0 },
    { "ob2_unavailable",
      "バッジの関連文書を取得できなかったため、確認できませんでした。", 0 },
    { "ob2_valid", "有効期間内です。", 0 },
    { "ob2_verification_invalid",
      "検証方式（verification）の種類が正しくありません。", 0 },
    { "ob3_context_missing",
      "オープンバッジ3.0の資格情報に、OB 3.0のコンテキストが指定されて"
      "いません。", 1 },
    { "ob_version_unsupported",
      "オープンバッジ0.5／1.0／1.1のアサーションです。"
      "検証できるのはオープンバッジ2.0と3.0のみです（発行者は2.0または3.0で再"
      "発行できます）。", 1 },
    { "ok", "問題ありません。", 1 },
    { "out_of_memory", "メモリ不足のため、処理できませんでした。", 0 },
    { "proof_chain_broken",
      "証明のつながり（previousProof）が途切れています。", 0 },
    { "proof_context_mismatch",
      "証明の@contextが、資格情報のものと一致しません。", 0 },
    { "proof_created_future", "証明の作成日時が未来になっています。", 0 },
    { "proof_expired", "証明の有効期限が切れています。", 0 },
    { "proof_invalid", "証明（proof）の記述が正しくありません。", 0 },
    { "proof_missing",
      "証明（署名）がないため、誰が発行したかを示すものがありません。", 0 },
    { "proof_purpose_mismatch",
      "証明の用途（proofPurpose）が想定と異なります。", 0 },
    { "proof_too_many", "証明の数が多すぎます。", 0 },
    { "proof_type_unsupported", "対応していない種類の証明です。", 0 },
    { "proof_unchecked", "証明を確認できませんでした。", 0 },
    { "proof_valid", "証明は有効です。", 0 },
    { "proof_value_invalid",
      "署名値（proofValue）の形式が正しくありません。", 0 },
    { "proof_value_missing", "証明に署名値（proofValue）がありません。", 0 },
    { "publish_invalid",
      "ステータスリストを公開する設定が正しくありません。", 0 },
    { "random_failed", "乱数を生成できませんでした。", 0 },
    { "rdfc_bad_hash", "対応していないハッシュ方式です。", 0 },
    { "rdfc_bad_input", "正規化できないデータが含まれています。", 0 },
    { "rdfc_internal", "正規化の処理中にエラーが起きました。", 0 },
    { "rdfc_too_complex",
      "データの構造が複雑すぎるため、正規化できません。", 0 },
    { "rdfc_too_large", "データが大きすぎるため、正規化できません。", 0 },
    { "recipient_match", "指定した受領者に発行されたものです。", 0 },
    { "recipient_mismatch",
      "指定した受領者に発行されたものではありません。", 0 },
    { "recipient_not_checked",
      "照合する受領者が指定されていないため、受領者は確認していません。", 0 },
    { "refresh_service_ignored",
      "更新サービス（refreshService）には接続していません。", 0 },
    { "registry_duplicate_id",
      "この資格情報のidは、すでに登録されています。", 0 },
    { "registry_full", "ステータスリストに空きがありません。", 0 },
    { "registry_invalid",
      "登録簿（レジストリ）の内容が正しくありません。", 0 },
    { "registry_missing", "登録簿（レジストリ）のファイルがありません。", 0 },
    { "registry_not_found", "登録簿に見つかりません。", 0 },
    { "registry_revoked", "この資格情報はすでに失効されています。", 0 },
    { "request_body_unreadable",
      "リクエストの本文を読み取れませんでした。", 1 },
    { "schema_valid", "資格情報の構造に問題はありません。", 0 },
    { "sign_failed", "署名を作成できませんでした。", 0 },
    { "signature_error", "署名の検証処理を準備できませんでした。", 0 },
    { "signature_invalid",
      "署名が無効です（改ざんされているか、別の鍵による署名です）。", 0 },
    { "signature_unchecked", "署名を確認できませんでした。", 0 },
    { "signature_valid", "署名は有効です。", 0 },
    { "status_entry_invalid",
      "失効状態の記述（credentialStatus）が正しくありません。", 0 },
    { "status_index_invalid",
      "ステータスリスト上の位置（statusListIndex）が正しくありません。", 0 },
    { "status_index_number",
      "statusListIndexが、数字の文字列ではなく数値で書かれています。", 1 },
    { "status_index_out_of_range",
      "ステータスリスト上の位置が、リストの範囲外です。", 0 },
    { "status_invalid",
      "失効状態の記述（credentialStatus）が多すぎます。", 0 },
    { "status_list_encoding",
      "ステータスリストのデータ（encodedList）"
      "の符号化が正しくありません。", 0 },
    { "status_list_expired",
      "ステータスリストの有効期限が切れているため、失効状態は不明です。", 0 },
    { "status_list_gzip",
      "ステータスリストの圧縮データ（GZIP）が正しくありません。", 0 },
    { "status_list_invalid", "ステータスリストが正しくありません。", 0 },
    { "status_list_issuer_differs",
      "ステータスリストの発行者が、資格情報の発行者と異なります。", 0 },
    { "status_list_not_yet_valid",
      "ステータスリストの有効期間がまだ始まっていないため、"
      "失効状態は不明です。", 0 },
    { "status_list_proof_invalid",
      "ステータスリストの証明（署名）が無効なため、リストは使わず、"
      "失効状態は不明としました。", 0 },
    { "status_list_proof_unchecked",
      "ステータスリストの証明（署名）を確認できませんでした。", 0 },
    { "status_list_short",
      "ステータスリストの件数が少なすぎます（誰の状態を確認したかが発行者に分"
      "かってしまいます）。", 0 },
    { "status_list_too_large", "ステータスリストが大きすぎます。", 0 },
    { "status_list_type",
      "ステータスリストの文書の種類が正しくありません。", 0 },
    { "status_list_unavailable",
      "ステータスリストを取得できなかったため、失効状態は不明です。", 0 },
    { "status_list_unsigned",
      "ステータスリストに証明（署名）がありません。", 0 },
    { "status_message", "発行者による状態の表示があります。", 0 },
    { "status_message_unknown",
      "この状態の値に対応する説明（statusMessage）がありません。", 0 },
    { "status_no_credential_id",
      "資格情報にidがないため失効リストで照会できず、"
      "失効状態は不明です。", 1 },
    { "status_not_revoked",
      "発行者のリストで、失効していないことを確認しました。", 0 },
    { "status_not_suspended",
      "発行者のリストで、一時停止されていないことを確認しました。", 0 },
    { "status_purpose_mismatch",
      "ステータスリストの用途（statusPurpose）が、"
      "資格情報の記述と一致しません。", 0 },
    { "status_purpose_unsupported",
      "対応していない種類の状態（statusPurpose）のため、"
      "この状態は不明です。", 0 },
    { "status_revoked", "発行者によって失効されています。", 0 },
    { "status_suspended", "発行者によって一時停止されています。", 0 },
    { "status_type_unsupported",
      "対応していない種類の失効状態の記述のため、状態は不明です。", 0 },
    { "subject_missing",
      "対象者の情報（credentialSubject）がないか、"
      "オブジェクトではありません。", 1 },
    { "template_output_too_large",
      "ページが大きくなりすぎるため、表示できません。", 0 },
    { "template_syntax", "テンプレートの構文が正しくありません。", 0 },
    { "template_too_much_work", "テンプレートの処理量が多すぎます。", 0 },
    { "too_many_credentials", "提示に含まれる資格情報が多すぎます。", 0 },
    { "typ_unexpected",
      "JWTのtypヘッダーが、資格情報としては想定外の値です。", 0 },
    { "type_invalid", "資格情報の種類（type）が正しくありません。", 0 },
    { "undefined_terms",
      "@contextで定義されていない項目があり、"
      "その項目は署名の対象になっていません。", 0 },
    { "unsupported_media_type",
      "対応していない形式（Content-Type）で送られています。資格情報はJSON、"
      "JWT、PNG・SVG画像、またはフォームの「credential」「file」欄で送"
      "ってください。", 1 },
    { "url_refused", "安全のため、このURLからは取得しません。", 0 },
    { "valid", "有効期間内です。", 0 },
    { "vc_jwt", "VC-JWT形式の資格情報です。", 0 },
    { "vm_missing",
      "検証方法（verificationMethod）のidが指定されていません。", 0 },
};

#define BADGE_CODE_TEXTS_N \
    (sizeof(badge_code_texts) / sizeof(badge_code_texts[0]))

static int
badge_code_cmp(const void *key, const void *elt)
{
    return strcmp((const char *) key,
                  ((const badge_code_text_t *) elt)->code);
}

const badge_code_text_t *
badge_message_code_find(const char *code)
{
    const badge_code_text_t *t, *best = NULL;
    size_t                   i, n, best_n = 0;

    if (code == NULL) {
        return NULL;
    }
    t = bsearch(code, badge_code_texts, BADGE_CODE_TEXTS_N,
                sizeof(badge_code_texts[0]), badge_code_cmp);
    if (t != NULL) {
        return t;
    }
    for (i = 0; i < BADGE_CODE_TEXTS_N; i++) {
        t = &badge_code_texts[i];
        n = strlen(t->code);
        if (n > 1 && t->code[n - 1] == '*' && n - 1 > best_n
            && strncmp(code, t->code, n - 1) == 0)
        {
            best = t;
            best_n = n - 1;
        }
    }
    return best;
}

const badge_code_text_t *
badge_message_code_table(size_t *n)
{
    if (n != NULL) {
        *n = BADGE_CODE_TEXTS_N;
    }
    return badge_code_texts;
}

void
badge_message_code_text(const char *code, const char *message, int ja,
    const char **text, const char **detail)
{
    const badge_code_text_t *t = ja ? badge_message_code_find(code) : NULL;

    if (t == NULL) {
        *text = message != NULL ? message : code;
        *detail = NULL;
        return;
    }
    *text = t->ja;
    *detail = t->alone || message == NULL || *message == '\0' ? NULL
                                                               : message;
}
