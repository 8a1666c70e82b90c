# Level 5: two calls of the next level.
module "left" {
  source = "../m6"
}

module "right" {
  source = "../m6"
}
