# tests/unit/ident/oracle.mk - build the libphonenumber oracle that
# test_phone_oracle.c runs (C++, tests only: rootcut never links
# libphonenumber). Include it from the top-level Makefile with
#   -include tests/unit/*/*.mk
# or build it by hand: make -f Makefile -f tests/unit/ident/oracle.mk build/tests/phone_oracle
CXX ?= g++

$(BUILD)/tests/phone_oracle: tests/unit/ident/phone_oracle.cc
	@mkdir -p $(dir $@)
	$(CXX) -std=c++17 -O1 $(SAN_FLAGS) -o $@ $< -lphonenumber

$(BUILD)/tests/unit_ident: $(BUILD)/tests/phone_oracle
