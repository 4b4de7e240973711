package com.connectionkeeper.snaptrade;

import com.snaptrade.client.ApiException;

/** One SDK request, executed afresh (and so re-signed with a new timestamp) on every attempt. */
@FunctionalInterface
interface SdkCall<T> {
    T execute() throws ApiException;
}
