/*
 * ident/encode.h - the inverse of parsing for wallets: build an address with
 * a valid checksum from the hash it encodes. For generated test and demo
 * data (rootcut demo generate); real input is only ever parsed.
 */
#pragma once
#include <stddef.h>
#include <stdint.h>

#include "ident/ident.h"

/*
 * Write into out (size >= 64) the address of chain for the 20-byte hash:
 * IDENT_CHAIN_BTC as P2PKH ("1…", base58check) when segwit is false or as
 * P2WPKH ("bc1q…", bech32) when true; IDENT_CHAIN_ETH as 0x + 40 hex with
 * the EIP-55 mixed-case checksum; IDENT_CHAIN_TRON as "T…" (base58check,
 * version 0x41). Returns 0, or ERR_INVAL for an unknown chain or a small out.
 */
int ident_wallet_encode(enum ident_chain chain, const uint8_t hash[20], int segwit, char *out,
	size_t size);
