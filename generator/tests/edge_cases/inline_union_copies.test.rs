// Every type of a crate whose 60 operator schemas each carry the same inline 60-member
// union is `Send + Sync`, as a user's `tokio::spawn` needs (60 copies of the union made the
// trait solver overflow: E0275). Compiling this is the test.

use crate_under_test::types;

fn send_sync<T: Send + Sync>() {}

#[test]
fn every_type_and_the_client_are_send_and_sync() {
    send_sync::<types::Op0>();
    send_sync::<types::Op1>();
    send_sync::<types::Op2>();
    send_sync::<types::Op3>();
    send_sync::<types::Op4>();
    send_sync::<types::Op5>();
    send_sync::<types::Op6>();
    send_sync::<types::Op7>();
    send_sync::<types::Op8>();
    send_sync::<types::Op9>();
    send_sync::<types::Op10>();
    send_sync::<types::Op11>();
    send_sync::<types::Op12>();
    send_sync::<types::Op13>();
    send_sync::<types::Op14>();
    send_sync::<types::Op15>();
    send_sync::<types::Op16>();
    send_sync::<types::Op17>();
    send_sync::<types::Op18>();
    send_sync::<types::Op19>();
    send_sync::<types::Op20>();
    send_sync::<types::Op21>();
    send_sync::<types::Op22>();
    send_sync::<types::Op23>();
    send_sync::<types::Op24>();
    send_sync::<types::Op25>();
    send_sync::<types::Op26>();
    send_sync::<types::Op27>();
    send_sync::<types::Op28>();
    send_sync::<types::Op29>();
    send_sync::<types::Op30>();
    send_sync::<types::Op31>();
    send_sync::<types::Op32>();
    send_sync::<types::Op33>();
    send_sync::<types::Op34>();
    send_sync::<types::Op35>();
    send_sync::<types::Op36>();
    send_sync::<types::Op37>();
    send_sync::<types::Op38>();
    send_sync::<types::Op39>();
    send_sync::<types::Op40>();
    send_sync::<types::Op41>();
    send_sync::<types::Op42>();
    send_sync::<types::Op43>();
    send_sync::<types::Op44>();
    send_sync::<types::Op45>();
    send_sync::<types::Op46>();
    send_sync::<types::Op47>();
    send_sync::<types::Op48>();
    send_sync::<types::Op49>();
    send_sync::<types::Op50>();
    send_sync::<types::Op51>();
    send_sync::<types::Op52>();
    send_sync::<types::Op53>();
    send_sync::<types::Op54>();
    send_sync::<types::Op55>();
    send_sync::<types::Op56>();
    send_sync::<types::Op57>();
    send_sync::<types::Op58>();
    send_sync::<types::Op59>();
    send_sync::<types::InputsItem>();
    send_sync::<Option<Vec<types::InputsItem>>>();
    send_sync::<crate_under_test::Client>();
}
