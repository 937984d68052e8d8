//! Response bodies taken as they arrive, for operations with binary responses.

use std::fmt;

use crate::error::Error;

/// A 2xx body as it arrives, chunk by chunk (see `send_stream`).
pub struct ByteStream<E = crate::ApiErrorBody> {
    chunks: std::pin::Pin<
        Box<dyn futures_util::Stream<Item = Result<bytes::Bytes, reqwest::Error>> + Send>,
    >,
    error: std::marker::PhantomData<fn() -> E>,
}

impl<E> ByteStream<E> {
    pub(crate) fn new(response: reqwest::Response) -> Self {
        let chunks = futures_util::stream::unfold(Some(response), |response| async move {
            let mut response = response?;
            match response.chunk().await {
                Ok(Some(chunk)) => Some((Ok(chunk), Some(response))),
                Ok(None) => None,
                // An error ends the stream.
                Err(error) => Some((Err(error), None)),
            }
        });
        ByteStream {
            chunks: Box::pin(chunks),
            error: std::marker::PhantomData,
        }
    }
}

impl<E> futures_util::Stream for ByteStream<E> {
    type Item = Result<bytes::Bytes, Error<E>>;

    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        self.chunks
            .as_mut()
            .poll_next(cx)
            .map(|item| item.map(|chunk| chunk.map_err(Error::from_reqwest)))
    }
}

impl<E> fmt::Debug for ByteStream<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ByteStream")
    }
}
