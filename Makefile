# rootcut - top-level build. `make` builds ./rootcut; `make run` and `make test`
# set everything up first (scripts/bootstrap). See README.md for the targets.

VERSION := $(shell cat VERSION 2>/dev/null || echo 0.0.0)
GIT_REV := $(shell git rev-parse --short HEAD 2>/dev/null || echo unknown)

CC ?= gcc
PKGS := libmicrohttpd jansson sqlite3 libcrypto libargon2 liboath libcurl libidn2 libpsl ldns
# Debian's libmicrohttpd links gnutls for TLS; it is found through pkg-config.

BUILD ?= build
# Quiet output unless V=1.
ifeq ($(V),1)
Q_CC :=
Q_LD :=
else
Q_CC = @echo "  CC      $<";
Q_LD = @echo "  LINK    $@";
endif
SAN_FLAGS ?=
OPT ?= -O2
WARN := -Wall -Wextra -Wpedantic -Wshadow -Wformat=2 -Wno-format-nonliteral -Werror
# gcc warns about every snprintf that may truncate (we truncate on purpose); clang lacks the flag.
ifeq ($(findstring clang,$(shell $(CC) --version 2>/dev/null | head -n1)),)
WARN += -Wno-format-truncation
endif
CFLAGS_ALL := -std=c11 -D_GNU_SOURCE $(OPT) -g $(WARN) -Isrc -I$(BUILD)/gen \
	-include src/base/compat.h $(SAN_FLAGS) \
	-DROOTCUT_VERSION='"$(VERSION)"' -DROOTCUT_REV='"$(GIT_REV)"' \
	$(shell pkg-config --cflags $(PKGS) 2>/dev/null) $(CFLAGS)
LDLIBS_ALL := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lpthread -lm $(LDLIBS)
LDFLAGS_ALL := $(SAN_FLAGS) $(LDFLAGS)

LIB_SRC := $(filter-out src/cli/main.c,$(wildcard src/*/*.c))
LIB_OBJ := $(patsubst src/%.c,$(BUILD)/obj/%.o,$(LIB_SRC)) $(BUILD)/obj/gen/openapi_doc.o \
	$(BUILD)/obj/gen/incident_policy_default.o
MAIN_OBJ := $(BUILD)/obj/cli/main.o
BIN := $(BUILD)/rootcut

UNIT_DIRS := $(sort $(dir $(wildcard tests/unit/*/test_*.c)))
UNIT_BINS := $(patsubst tests/unit/%/,$(BUILD)/tests/unit_%,$(UNIT_DIRS))

FUZZ_SRC := $(wildcard fuzz/fuzz_*.c)
FUZZ_REPLAY := $(patsubst fuzz/%.c,$(BUILD)/fuzz-replay/%,$(FUZZ_SRC))

.PHONY: all run test asan unit integration fuzz fuzz-replay bench lint format-check \
	clean bootstrap demo web
.DEFAULT_GOAL := all

all: rootcut

rootcut: $(BIN)
	@ln -sf $(BIN) rootcut

$(BIN): $(MAIN_OBJ) $(BUILD)/librootcut.a
	$(Q_LD)$(CC) $(LDFLAGS_ALL) -o $@ $^ $(LDLIBS_ALL)

$(BUILD)/librootcut.a: $(LIB_OBJ)
	@rm -f $@
	@ar rcs $@ $^

$(BUILD)/obj/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(Q_CC)$(CC) $(CFLAGS_ALL) -MMD -MP -c -o $@ $<

# The OpenAPI document is compiled into the binary, so the server and the
# route/OpenAPI consistency test read exactly the file in docs/.
$(BUILD)/gen/openapi_doc.c: docs/api/openapi.json scripts/embed
	@mkdir -p $(dir $@)
	@scripts/embed openapi_doc $< > $@

$(BUILD)/obj/gen/openapi_doc.o: $(BUILD)/gen/openapi_doc.c
	@mkdir -p $(dir $@)
	$(Q_CC)$(CC) $(CFLAGS_ALL) -c -o $@ $<

# The shipped incident policy is the built-in one (src/incident/policy.c).
$(BUILD)/gen/incident_policy_default.c: docs/ops/incident-policy.conf scripts/embed
	@mkdir -p $(dir $@)
	@scripts/embed incident_policy_default $< > $@

$(BUILD)/obj/gen/incident_policy_default.o: $(BUILD)/gen/incident_policy_default.c
	@mkdir -p $(dir $@)
	$(Q_CC)$(CC) $(CFLAGS_ALL) -c -o $@ $<

# One Criterion binary per module folder of tests/unit/.
.SECONDEXPANSION:
$(BUILD)/tests/unit_%: $$(wildcard tests/unit/%/*.c tests/unit/%/*.h) $(wildcard tests/unit/*.h) \
		$(BUILD)/librootcut.a
	@mkdir -p $(dir $@)
	$(Q_LD)$(CC) $(CFLAGS_ALL) -Itests/unit -o $@ $(filter %.c,$^) $(BUILD)/librootcut.a \
		$(LDFLAGS_ALL) $(LDLIBS_ALL) -lcriterion

$(BUILD)/fuzz-replay/%: fuzz/%.c fuzz/replay_main.c $(BUILD)/librootcut.a
	@mkdir -p $(dir $@)
	$(Q_LD)$(CC) $(CFLAGS_ALL) -o $@ $< fuzz/replay_main.c $(BUILD)/librootcut.a \
		$(LDFLAGS_ALL) $(LDLIBS_ALL)

bootstrap:
	@scripts/bootstrap

web:
	@scripts/build-web

run: bootstrap
	@$(MAKE) --no-print-directory all web
	@scripts/run-demo

unit: $(UNIT_BINS)
	@scripts/run-unit $(UNIT_BINS)

fuzz-replay: $(FUZZ_REPLAY)
	@scripts/run-fuzz-replay $(BUILD)

test: bootstrap
	@$(MAKE) --no-print-directory all web
	@$(MAKE) --no-print-directory $(UNIT_BINS) $(FUZZ_REPLAY)
	@scripts/run-tests $(BUILD)

# The whole suite under AddressSanitizer and UndefinedBehaviorSanitizer.
asan: bootstrap
	@$(MAKE) --no-print-directory BUILD=build-asan OPT=-O1 \
		SAN_FLAGS="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
		build-asan/rootcut web
	@$(MAKE) --no-print-directory BUILD=build-asan OPT=-O1 \
		SAN_FLAGS="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
		$(patsubst $(BUILD)/%,build-asan/%,$(UNIT_BINS) $(FUZZ_REPLAY))
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
		scripts/run-tests build-asan

# libFuzzer targets (clang); run each for FUZZ_SECONDS.
fuzz: bootstrap
	@scripts/run-fuzz $(or $(FUZZ_SECONDS),60)

bench: bootstrap all
	@bench/run-all

lint:
	@scripts/lint

format-check:
	@scripts/format-check

clean:
	rm -rf build build-asan build-fuzz rootcut

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
# Test helpers that need their own build rules (e.g. the libphonenumber oracle).
-include tests/unit/*/*.mk

print-ldlibs:
	@echo $(LDLIBS_ALL)
