// SuppressionStore::CheckHashes against a real PostgreSQL: positions of suppressed hashes, with
// duplicates and list scopes, on the single-query path and on the parallel one (large requests).
#include <catch2/catch.hpp>

#include "service/base/crypto.h"
#include "storage/pool.h"
#include "storage/suppression_store.h"
#include "tests/support/test_db.h"

using namespace optin;
using namespace optin::test;

namespace {

std::string HashOf(size_t i) { return Sha256Hex("a" + std::to_string(i) + "@example.com"); }

}  // namespace

TEST_CASE("suppression check reports every suppressed position, small and large",
          "[suppressions][db]") {
  TestDatabase db;
  db.Exec("INSERT INTO lists (slug, name) VALUES ('other', 'Other')");
  // Every third address is suppressed globally; every seventh (not a multiple of 3) only for
  // the list 'other'.
  db.Exec(
      "INSERT INTO suppressions (email_hash, list_id, reason, source) "
      "SELECT encode(sha256(convert_to('a' || i || '@example.com', 'UTF8')), 'hex'), "
      "       CASE WHEN i % 3 = 0 THEN NULL ELSE (SELECT id FROM lists WHERE slug = 'other') END, "
      "       'test', 'admin' "
      "FROM generate_series(0, 60000) i WHERE i % 3 = 0 OR i % 7 = 0");
  int64_t other = std::stoll(db.Scalar("SELECT id FROM lists WHERE slug = 'other'"));
  auto pool = db.MakePool(4);
  SuppressionStore store(*pool);

  for (size_t n : {size_t{10}, SuppressionStore::kParallelCheckThreshold + 5000}) {
    CAPTURE(n);
    // Reversed order and every hash of a multiple of 5 twice, so sorting and de-duplication
    // must map answers back to all original positions.
    std::vector<std::string> hashes;
    std::vector<size_t> source;
    for (size_t i = n; i-- > 0;) {
      hashes.push_back(HashOf(i));
      source.push_back(i);
      if (i % 5 == 0) {
        hashes.push_back(HashOf(i));
        source.push_back(i);
      }
    }
    std::vector<size_t> global_expected, list_expected;
    for (size_t p = 0; p < hashes.size(); ++p) {
      if (source[p] % 3 == 0) global_expected.push_back(p);
      if (source[p] % 3 == 0 || source[p] % 7 == 0) list_expected.push_back(p);
    }
    auto global = store.CheckHashes(hashes, 0);
    REQUIRE(global.ok());
    CHECK(*global == global_expected);
    auto list = store.CheckHashes(hashes, other);
    REQUIRE(list.ok());
    CHECK(*list == list_expected);
  }
  auto none = store.CheckHashes({}, 0);
  REQUIRE(none.ok());
  CHECK(none->empty());
}
