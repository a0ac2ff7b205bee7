#include "service/domain/mailbox.h"

#include <catch2/catch.hpp>

TEST_CASE("plus and Gmail dot variants share one mailbox key", "[mailbox]") {
  struct Case {
    const char* address;
    const char* mailbox;
  };
  const Case cases[] = {
      {"victim@example.com", "victim@example.com"},
      {"victim+1@example.com", "victim@example.com"},
      {"victim+a+b@example.com", "victim@example.com"},
      {"vic.tim+2@example.com", "vic.tim@example.com"},  // dots count outside Gmail
      {"v.i.c.t.i.m@gmail.com", "victim@gmail.com"},
      {"vic.tim+news@googlemail.com", "victim@gmail.com"},
      {"+only@example.com", "+only@example.com"},
      {"a@b+c.example.com", "a@b+c.example.com"},
  };
  for (const auto& c : cases) {
    INFO(c.address);
    CHECK(optin::MailboxKey(c.address) == c.mailbox);
  }
}
